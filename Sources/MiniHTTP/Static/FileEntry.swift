import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// A static file as one worker caches it: the open descriptor, validators and header fields encoded once,
/// the contents of a small file, and its gzip variant once made.
final class FileEntry {
    /// The request path it was found by, exactly as sent (the cache key).
    let key: [UInt8]
    /// The folder it was opened beneath (the public folder, or a handler's `FileRoot`), held so that its
    /// descriptor is not reused while the entry lives.
    let folder: PublicFolder
    /// The path beneath `folder`.
    let relative: [UInt8]
    let file: OpenFile
    let contentType: String
    let isCompressible: Bool
    /// `"<hash of the file's identity, hex>-<size, hex>"`: strong, and changes whenever the file does — also
    /// after a same-size rewrite with a preserved mtime, since the identity holds inode and ctime.
    let etag: [UInt8]
    let identity: FileIdentity
    let lastModified: [UInt8]
    /// The modification time in seconds as sent in `Last-Modified`: never later than when the entry was made
    /// (RFC 9110 §8.8.2.1), so never later than a `Date` sent with it.
    let lastModifiedSeconds: Int
    /// `Last-Modified`, `ETag`, `Accept-Ranges`, and `Cache-Control` / `Vary` where they apply.
    let fields: [UInt8]
    /// The whole file, for small files; nil means it is sent from the descriptor.
    var content: [UInt8]?
    /// The precompressed variant, once found; `gzipChecked` says whether to look for it again.
    var gzip: GzipVariant?
    var gzipChecked = false
    /// The precompressed `name.gz` the variant was read from (nil: made on the fly, or none), for revalidation.
    var precompressed: FileIdentity?
    /// ETag and fields of the variant made on the fly, encoded once (its bytes live in the `GzipStore`).
    var onTheFlyValidators: (etag: [UInt8], fields: [UInt8])?
    var checkedAt: Int64
    var lastUsed: Int64

    struct GzipVariant {
        let body: Response.Body
        let etag: [UInt8]
        let fields: [UInt8]
    }

    init(key: [UInt8], folder: PublicFolder, relative: [UInt8], file: OpenFile, contentType: String, cacheControl: String?,
         varyOnEncoding: Bool, now: Int64, wallClockSeconds: Int = Int(time(nil))) {
        self.key = key
        self.folder = folder
        self.relative = relative
        self.file = file
        self.contentType = contentType
        self.isCompressible = varyOnEncoding
        identity = FileIdentity(file)
        etag = FileEntry.etag(identity.hash64, size: file.size, suffix: "")
        lastModifiedSeconds = min(file.modificationSeconds, wallClockSeconds)
        lastModified = HTTPDate.format(lastModifiedSeconds)
        fields = FileEntry.encodeFields(
            lastModified: lastModified, etag: etag, cacheControl: cacheControl, varyOnEncoding: varyOnEncoding,
            extra: "Accept-Ranges: bytes\r\n")
        checkedAt = now
        lastUsed = now
    }

    static func etag(_ hash: UInt64, size: Int, suffix: String) -> [UInt8] {
        Array("\"\(String(hash, radix: 16))-\(String(size, radix: 16))\(suffix)\"".utf8)
    }

    static func encodeFields(
        lastModified: [UInt8], etag: [UInt8], cacheControl: String?, varyOnEncoding: Bool, extra: String
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: "Last-Modified: ".utf8)
        out.append(contentsOf: lastModified)
        out.append(contentsOf: "\r\nETag: ".utf8)
        out.append(contentsOf: etag)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: extra.utf8)
        // Browsers must not guess another type than the one sent (a .txt upload run as a script).
        out.append(contentsOf: "X-Content-Type-Options: nosniff\r\n".utf8)
        if let cacheControl { out.append(contentsOf: "Cache-Control: \(cacheControl)\r\n".utf8) }
        if varyOnEncoding { out.append(contentsOf: "Vary: Accept-Encoding\r\n".utf8) }
        return out
    }

    /// The whole file as a response body: from memory, or from the descriptor with `sendfile`.
    var body: Response.Body {
        if let content { return Response.Body(.slice(content[...])) }
        return Response.Body(.file(file))
    }

    /// `count` bytes from `offset` as a response body.
    func body(offset: Int, count: Int) -> Response.Body {
        if let content { return Response.Body(.slice(content[offset..<(offset + count)])) }
        return Response.Body(.fileRegion(file, offset: offset, count: count))
    }
}
