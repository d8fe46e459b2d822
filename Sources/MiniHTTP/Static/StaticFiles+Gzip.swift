import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// The gzip variant of a static file: a precompressed `name.gz` beside it when there is one (always
/// preferred), else a copy from the shared `GzipStore` — made inline for a small file, in the background for
/// a larger one (answered uncompressed until it is ready).
extension StaticFiles {
    func gzipVariant(_ entry: FileEntry) -> FileEntry.GzipVariant? {
        if let variant = entry.gzip { return variant }
        if !entry.gzipChecked {
            entry.gzipChecked = true
            if case .success(let precompressed) = entry.folder.open(entry.relative + Self.gzSuffix),
               Self.isServable(precompressed, beside: entry) {
                let identity = FileIdentity(precompressed)
                let etag = FileEntry.etag(entry.identity.hash64 &* 31 ^ identity.hash64, size: precompressed.size, suffix: "-gz")
                let variant = FileEntry.GzipVariant(
                    body: Response.Body(.file(precompressed)), etag: etag, fields: gzipFields(entry, etag: etag))
                entry.precompressed = identity
                entry.gzip = variant
                return variant
            }
        }
        guard entry.file.size >= gzip.minBytes, entry.file.size <= gzip.maxBytes,
              case .ready(let compressed) = gzipStore.variant(of: entry.file, identity: entry.identity, content: entry.content)
        else { return nil }
        let (etag, fields) = entry.onTheFlyValidators ?? {
            let etag = Array(entry.etag.dropLast()) + Array("-gz\"".utf8)
            let made = (etag, gzipFields(entry, etag: etag))
            entry.onTheFlyValidators = made
            return made
        }()
        return FileEntry.GzipVariant(body: .bytes(compressed), etag: etag, fields: fields)
    }

    /// The identity of the precompressed `name.gz` that would be served beside `entry`'s file, or nil.
    func precompressedIdentity(_ entry: FileEntry) -> FileIdentity? {
        guard case .success(let file) = entry.folder.open(entry.relative + Self.gzSuffix), Self.isServable(file, beside: entry)
        else { return nil }
        return FileIdentity(file)
    }

    /// A regular file not older than the original (nanoseconds: a `.gz` made in the same second as an
    /// edit after it is stale).
    private static func isServable(_ precompressed: OpenFile, beside entry: FileEntry) -> Bool {
        precompressed.isRegularFile && precompressed.modificationTotalNanoseconds >= entry.file.modificationTotalNanoseconds
    }

    private func gzipFields(_ entry: FileEntry, etag: [UInt8]) -> [UInt8] {
        FileEntry.encodeFields(
            lastModified: entry.lastModified, etag: etag,
            cacheControl: cacheControlValue(entry.folder, entry.relative), varyOnEncoding: true,
            extra: "Content-Encoding: gzip\r\n")
    }

    private static let gzSuffix = Array(".gz".utf8)
}
