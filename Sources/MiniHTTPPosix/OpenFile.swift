import Glibc
import MiniHTTPCore

/// An open file: the descriptor, its size and modification time. The descriptor is closed when the last
/// reference goes — when its response has been sent, or its connection has ended.
package final class OpenFile: Sendable {
    package let descriptor: Int32
    package let size: Int
    package let modificationSeconds: Int
    package let modificationNanoseconds: Int
    /// The inode's change time (st_ctim), in nanoseconds: set by the kernel on every write, rename or
    /// `utimensat`, so unlike the mtime no userspace tool can set it back.
    package let changeNanoseconds: Int
    package let device: UInt64
    package let inode: UInt64
    package let isRegularFile: Bool
    package let isDirectory: Bool

    /// Takes ownership of `descriptor`, reading its metadata with `fstat`; nil (and closed) if that fails.
    package init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            Syscall.close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        size = Int(info.st_size)
        modificationSeconds = Int(info.st_mtim.tv_sec)
        modificationNanoseconds = Int(info.st_mtim.tv_nsec)
        changeNanoseconds = Int(info.st_ctim.tv_sec) &* 1_000_000_000 &+ Int(info.st_ctim.tv_nsec)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
        isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Opens `path` for reading.
    package convenience init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.init(descriptor: fd)
    }

    deinit { Syscall.close(descriptor) }

    /// The modification time in nanoseconds.
    package var modificationTotalNanoseconds: Int { modificationSeconds &* 1_000_000_000 &+ modificationNanoseconds }

    /// Whether `other` is the same file, unchanged: same device, inode, size, modification and change time
    /// (a same-size rewrite with a preserved mtime, as `cp -p` or `rsync -t` make, still moves the ctime).
    package func isUnchanged(comparedTo other: OpenFile) -> Bool {
        device == other.device && inode == other.inode && size == other.size
            && modificationTotalNanoseconds == other.modificationTotalNanoseconds
            && changeNanoseconds == other.changeNanoseconds
    }

    /// Reads `count` bytes from `offset` into the end of `out`. Returns false if the file came up short.
    package func read(offset: Int, count: Int, appendingTo out: inout [UInt8]) -> Bool {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        var done = 0
        let ok = out.withUnsafeMutableBytes { buffer -> Bool in
            guard let base = buffer.baseAddress else { return count == 0 }
            while done < count {
                let n = pread(descriptor, base + start + done, count - done, off_t(offset + done))
                if n > 0 {
                    done += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
        if !ok { out.removeLast(out.count - start) }
        return ok
    }
}
