import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// What makes a file's contents the same as before, as far as the file system can tell: device, inode,
/// size, modification and change time (nanoseconds). The change time cannot be set back from userspace,
/// so a same-size rewrite with a preserved mtime still gets a new identity. Keys the gzip store (never the
/// request path, which many spellings reach) and is folded into the ETag.
struct FileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int
    let modificationNanoseconds: Int
    let changeNanoseconds: Int

    init(_ file: OpenFile) {
        device = file.device
        inode = file.inode
        size = file.size
        modificationNanoseconds = file.modificationTotalNanoseconds
        changeNanoseconds = file.changeNanoseconds
    }

    /// FNV-1a over the fields: 64 bits that change whenever any of them does (for the ETag).
    var hash64: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ word: UInt64) {
            var value = word
            for _ in 0..<8 {
                hash = (hash ^ (value & 0xff)) &* 0x100_0000_01b3
                value >>= 8
            }
        }
        mix(device)
        mix(inode)
        mix(UInt64(bitPattern: Int64(size)))
        mix(UInt64(bitPattern: Int64(modificationNanoseconds)))
        mix(UInt64(bitPattern: Int64(changeNanoseconds)))
        return hash
    }
}
