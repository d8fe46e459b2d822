import CSystem
import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Serves GET and HEAD from the public folder, as nginx does: validators and conditional requests, byte
/// ranges, gzip (cached, or precompressed `.gz`), `sendfile` for large files, an open-file cache per
/// worker, `Cache-Control` by rule, directory index files, redirects and optional listings.
///
/// Every open goes through `PublicFolder`: `openat2(RESOLVE_BENEATH)` relative to the folder's descriptor,
/// so no path and no symlink can reach outside it.
final class StaticFiles: Responder {
    /// The public folder; nil when the server has none (handlers may still serve files from a `FileRoot`).
    let folder: PublicFolder?
    /// The file served, when the folder has none, for a path that looks like a single-page app's route
    /// (`SPAFallback`); relative to the folder.
    let spaFallback: [UInt8]?
    private let indexName: [UInt8]
    private let directoryListing: Bool
    let cacheControl: CacheControlRules
    let gzip: GzipSettings
    /// gzip copies made on the fly, shared by the workers, bounded by `gzip.cacheBytes`.
    let gzipStore: GzipStore
    /// One open-file cache per worker.
    let fileCaches: FileCaches

    /// Opens the public folder. Throws when it does not exist, is not a directory, or `openat2` is refused.
    init(root: String?, index: String, directoryListing: Bool = false, cacheControl: [String: String] = [:],
         spaFallback: String? = nil, gzip: GzipSettings = GzipSettings(),
         fileCaches: FileCaches = FileCaches(workers: 0)) throws(SystemError) {
        self.fileCaches = fileCaches
        if let root { folder = try PublicFolder(root: root) } else { folder = nil }
        if let spaFallback, case .relative(let relative, false) = SafePath.resolve(filePath: spaFallback) {
            self.spaFallback = relative
        } else {
            self.spaFallback = nil
        }
        indexName = Array(index.utf8)
        self.directoryListing = directoryListing
        self.cacheControl = CacheControlRules(cacheControl)
        self.gzip = gzip
        gzipStore = GzipStore(budgetBytes: gzip.enabled ? gzip.cacheBytes : 0, level: gzip.level)
    }

    deinit { gzipStore.stop() }

    /// The response for `request`, whose path no code route matched: from the answering worker's cache.
    func respond(to request: Request) -> Response {
        guard let worker = request.worker else { return respond(to: request, cache: nil, now: MonotonicClock.milliseconds()) }
        return respond(to: request, cache: fileCaches[worker.index], now: worker.now)
    }

    /// The response for `request`. `cache` is the calling worker's.
    func respond(to request: Request, cache: FileCache?, now: Int64) -> Response {
        guard let folder else { return CannedResponse.notFound }
        let rawPath = request.head.path.isEmpty ? Self.root : request.bytes[request.shifted(request.head.path)]
        guard request.method == .get || request.method == .head else { return refuseMethod(folder, request, rawPath) }
        let hash = FileCache.hash(rawPath)
        if let cached = cachedEntry(hash: hash, key: rawPath, cache: cache, now: now) {
            return serve(cached, request, cache: cache)
        }
        switch find(folder, request, rawPath, cache: cache, now: now) {
        case .entry(let entry):
            cache?.insert(entry, hash: hash)
            return serve(entry, request, cache: cache)
        case .response(let response):
            if response.status == .notFound, let spaFallback, SPAFallback.applies(to: request, rawPath: rawPath) {
                return respond(toFile: spaFallback, in: folder, request: request, cache: cache, now: now)
            }
            return response
        }
    }

    /// The entry cached under `key`, if it is still current (else it is dropped).
    func cachedEntry<Key: Collection<UInt8>>(hash: UInt64, key: Key, cache: FileCache?, now: Int64) -> FileEntry? {
        guard let cache, let cached = cache.entry(hash: hash, path: key) else { return nil }
        if now - cached.checkedAt < cache.validityMilliseconds || stillCurrent(cached, now: now) {
            cached.lastUsed = now
            return cached
        }
        cache.remove(hash: hash)
        return nil
    }

    // MARK: Finding the file

    enum Found {
        case entry(FileEntry)
        case response(Response)
    }

    private func find(_ folder: PublicFolder, _ request: Request, _ rawPath: ArraySlice<UInt8>, cache: FileCache?, now: Int64) -> Found {
        let outcome = SafePath.resolve(rawPath)
        guard case .relative(let relative, let namesDirectory) = outcome else {
            return .response(outcome == .malformed ? CannedResponse.badRequest : CannedResponse.notFound)
        }
        switch folder.open(relative) {
        case .failure(let error):
            return .response(Self.failure(error.status))
        case .success(let file) where file.isDirectory:
            guard namesDirectory else { return .response(redirectToDirectory(request)) }
            var indexPath = relative
            if !indexPath.isEmpty { indexPath.append(ASCII.slash) }
            indexPath.append(contentsOf: indexName)
            switch folder.open(indexPath) {
            case .success(let index) where index.isRegularFile:
                return .entry(makeEntry(Array(rawPath), folder, indexPath, index, cache: cache, now: now))
            case .failure(let error) where error.status != .notFound:
                // There, but not readable: its error, never a listing in its place.
                return .response(Self.failure(error.status))
            case .success, .failure:
                guard directoryListing else { return .response(CannedResponse.forbidden) }
                let listing = DirectoryListing.response(directory: file, urlPath: request.rawPath)
                return .response(listing ?? CannedResponse.internalServerError)
            }
        case .success(let file):
            guard file.isRegularFile, !namesDirectory else { return .response(CannedResponse.notFound) }
            return .entry(makeEntry(Array(rawPath), folder, relative, file, cache: cache, now: now))
        }
    }

    func makeEntry(
        _ key: [UInt8], _ folder: PublicFolder, _ relative: [UInt8], _ file: OpenFile, cache: FileCache?, now: Int64
    ) -> FileEntry {
        let contentType = MediaType.forExtension(Self.extensionOf(relative))
        let compressible = gzip.enabled && Gzip.isCompressible(contentType)
        let entry = FileEntry(
            key: key, folder: folder, relative: relative, file: file, contentType: contentType,
            cacheControl: cacheControlValue(folder, relative),
            varyOnEncoding: compressible, now: now)
        if let cache, cache.canHoldContent(size: file.size) {
            var content: [UInt8] = []
            content.reserveCapacity(file.size)
            if file.read(offset: 0, count: file.size, appendingTo: &content) { entry.content = content }
        }
        return entry
    }

    /// Checks a cached entry against the file system: true if the same file is there, unchanged, and so is
    /// its precompressed `name.gz` (replaced, deleted or added since, the entry is stale).
    private func stillCurrent(_ entry: FileEntry, now: Int64) -> Bool {
        guard case .success(let current) = entry.folder.open(entry.relative), current.isUnchanged(comparedTo: entry.file),
              !entry.gzipChecked || precompressedIdentity(entry) == entry.precompressed
        else { return false }
        entry.checkedAt = now
        return true
    }

    // MARK: Serving

    func serve(_ entry: FileEntry, _ request: Request, cache: FileCache?) -> Response {
        let headers = request.headers
        let range = request.method == .get ? headers.valueBytes("range") : nil
        let variant = range == nil && entry.isCompressible && Gzip.isAccepted(by: headers)
            ? gzipVariant(entry) : nil
        let etag = variant?.etag ?? entry.etag
        let fields = variant?.fields ?? entry.fields
        switch Preconditions.evaluate(headers, method: request.method, etag: etag,
                                      modifiedSeconds: entry.lastModifiedSeconds) {
        case .notModified:
            // RFC 9110 §15.4.5: the validators and caching fields of the 200, no body and no Content-Type.
            return Response(status: .notModified, contentType: nil, fieldBlock: fields, body: .empty)
        case .failed:
            return .text("Precondition Failed\n", status: .preconditionFailed)
        case .proceed:
            break
        }
        if let variant {
            return Response(status: .ok, contentType: entry.contentType, fieldBlock: fields, body: variant.body)
        }
        if let range, Preconditions.rangeStillApplies(headers, etag: entry.etag, lastModified: entry.lastModified) {
            switch ByteRanges.evaluate(range, size: entry.file.size) {
            case .single(let bytes):
                var response = Response(
                    status: .partialContent, contentType: entry.contentType,
                    body: entry.body(offset: bytes.lowerBound, count: bytes.count))
                response.fieldBlock = fields + Array(
                    "Content-Range: bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(entry.file.size)\r\n".utf8)
                return response
            case .unsatisfiable:
                var response = Response.text("Range Not Satisfiable\n", status: .rangeNotSatisfiable)
                response.fieldBlock = Array("Content-Range: bytes */\(entry.file.size)\r\n".utf8) + Self.noSniff
                return response
            case .ignore, .several:
                break
            }
        }
        return Response(status: .ok, contentType: entry.contentType, fieldBlock: fields, body: entry.body)
    }

    // MARK: Other answers

    /// Methods other than GET and HEAD: OPTIONS lists what is allowed, others get 405; on nothing, 404.
    private func refuseMethod(_ folder: PublicFolder, _ request: Request, _ rawPath: ArraySlice<UInt8>) -> Response {
        guard case .relative(let relative, _) = SafePath.resolve(rawPath), case .success = folder.open(relative) else {
            return CannedResponse.notFound
        }
        return request.method == .options ? Self.options : Self.methodNotAllowed
    }

    /// `/dir` → 301 `/dir/`, keeping the query. Leading slashes are collapsed so the Location can never be
    /// protocol-relative (`//evil.example/`), which would send the browser to another host.
    private func redirectToDirectory(_ request: Request) -> Response {
        var location = "/" + String(request.rawPath.drop { $0 == "/" }) + "/"
        if let query = request.rawQuery { location += "?" + query }
        var response = Response.redirect(to: location, status: .movedPermanently)
        response.contentType = MediaType.html
        response.body = .string("<a href=\"\(DirectoryListing.escapeHTML(location))\">Moved Permanently</a>\n")
        return response
    }

    private static func extensionOf(_ name: [UInt8]) -> ArraySlice<UInt8> {
        guard let dot = name.lastIndex(of: ASCII.dot), !name[dot...].contains(ASCII.slash) else { return [] }
        return name[(dot + 1)...]
    }

    private static let root: ArraySlice<UInt8> = [ASCII.slash]
    static let noSniff = Array("X-Content-Type-Options: nosniff\r\n".utf8)

    /// The `cacheControl` rule for a file: by its path in the public folder; none for another root.
    func cacheControlValue(_ root: PublicFolder, _ relative: [UInt8]) -> String? {
        root === folder ? cacheControl.value(forPath: [ASCII.slash] + relative) : nil
    }

    /// The answer to a file that could not be opened, by the status its error maps to.
    static func failure(_ status: Status) -> Response {
        CannedResponse.error(status == .notFound || status == .forbidden ? status : .internalServerError)
    }
    private static let options = CannedResponse.options([.get, .head])
    private static let methodNotAllowed = CannedResponse.methodNotAllowed([.get, .head])
}
