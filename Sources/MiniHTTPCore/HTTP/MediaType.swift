/// Content types by file extension, and the common ones as constants.
public enum MediaType {
    public static let plainText = "text/plain; charset=utf-8"
    public static let html = "text/html; charset=utf-8"
    public static let json = "application/json"
    public static let octetStream = "application/octet-stream"

    /// The content type for a file name's extension (ASCII case-insensitive); `application/octet-stream`
    /// when it is unknown. Text types carry `charset=utf-8`.
    public static func forPath(_ path: String) -> String {
        guard let dot = path.utf8.lastIndex(of: ASCII.dot) else { return octetStream }
        let slash = path.utf8.lastIndex(of: ASCII.slash)
        if let slash, slash > dot { return octetStream }
        return forExtension(path.utf8[path.utf8.index(after: dot)...])
    }

    /// The content type for extension bytes (without the dot).
    package static func forExtension<Bytes: Collection<UInt8>>(_ ext: Bytes) -> String {
        guard ext.count <= 8 else {
            return ext.count == 11 && ASCII.equalsIgnoringCase(ext, "webmanifest")
                ? webManifest : octetStream
        }
        var key: UInt64 = 0
        for byte in ext { key = key << 8 | UInt64(ASCII.lowercased(byte)) }
        return table[key] ?? octetStream
    }

    /// The one extension longer than the table's 8-byte keys.
    private static let webManifest = "application/manifest+json"

    private static let table: [UInt64: String] = {
        let types: [(String, String)] = [
            ("html", html), ("htm", html),
            ("css", "text/css; charset=utf-8"),
            ("js", "text/javascript; charset=utf-8"), ("mjs", "text/javascript; charset=utf-8"),
            ("json", "application/json"),
            ("svg", "image/svg+xml"),
            ("png", "image/png"), ("jpg", "image/jpeg"), ("jpeg", "image/jpeg"), ("gif", "image/gif"),
            ("webp", "image/webp"), ("avif", "image/avif"), ("ico", "image/x-icon"),
            ("vtt", "text/vtt; charset=utf-8"),
            ("txt", plainText), ("md", "text/markdown; charset=utf-8"),
            ("xml", "application/xml"),
            ("wasm", "application/wasm"),
            ("woff2", "font/woff2"), ("woff", "font/woff"),
            ("pdf", "application/pdf"),
            ("mp4", "video/mp4"), ("webm", "video/webm"), ("mp3", "audio/mpeg"),
            ("zip", "application/zip"), ("gz", "application/gzip"),
        ]
        var table: [UInt64: String] = [:]
        for (ext, type) in types {
            var key: UInt64 = 0
            for byte in ext.utf8 { key = key << 8 | UInt64(byte) }
            table[key] = type
        }
        return table
    }()
}
