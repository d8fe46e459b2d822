/// A static file as one worker caches it: the open descriptor, validators and header fields encoded once,
/// the contents of a small file, and its gzip variant once made.
final class FileEntry {
    /// The request path it was found by, exactly as sent (the cache key).
    let key: [UInt8]
    /// The path beneath the public folder.
    let relative: [UInt8]
    let file: OpenFile
    let contentType: String
    let isCompressible: Bool
    /// `"<mtime in ns, hex>-<size, hex>"`: strong, and changes whenever the file does.
    let etag: [UInt8]
    let lastModified: [UInt8]
    /// `Last-Modified`, `ETag`, `Accept-Ranges`, and `Cache-Control` / `Vary` where they apply.
    let fields: [UInt8]
    /// The whole file, for small files; nil means it is sent from the descriptor.
    var content: [UInt8]?
    /// The gzip variant, once made or found; `gzipChecked` says whether to look again.
    var gzip: GzipVariant?
    var gzipChecked = false
    var checkedAt: Int64
    var lastUsed: Int64

    struct GzipVariant {
        let body: Response.Body
        let etag: [UInt8]
        let fields: [UInt8]
        /// Bytes it holds in memory (0 for a precompressed file sent from its descriptor).
        let memoryBytes: Int
    }

    init(key: [UInt8], relative: [UInt8], file: OpenFile, contentType: String, cacheControl: String?,
         varyOnEncoding: Bool, now: Int64) {
        self.key = key
        self.relative = relative
        self.file = file
        self.contentType = contentType
        self.isCompressible = varyOnEncoding
        let nanoseconds = file.modificationSeconds * 1_000_000_000 + file.modificationNanoseconds
        etag = FileEntry.etag(nanoseconds: nanoseconds, size: file.size, suffix: "")
        lastModified = HTTPDate.format(file.modificationSeconds)
        fields = FileEntry.encodeFields(
            lastModified: lastModified, etag: etag, cacheControl: cacheControl, varyOnEncoding: varyOnEncoding,
            extra: "Accept-Ranges: bytes\r\n")
        checkedAt = now
        lastUsed = now
    }

    static func etag(nanoseconds: Int, size: Int, suffix: String) -> [UInt8] {
        Array("\"\(String(nanoseconds, radix: 16))-\(String(size, radix: 16))\(suffix)\"".utf8)
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
