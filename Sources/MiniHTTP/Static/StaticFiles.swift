import CSystem
import Glibc

/// Serves GET and HEAD from the public folder, as nginx does: validators and conditional requests, byte
/// ranges, gzip (cached, or precompressed `.gz`), `sendfile` for large files, an open-file cache per
/// worker, `Cache-Control` by rule, directory index files, redirects and optional listings.
///
/// Every open is `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)` relative to the folder's descriptor,
/// so no path and no symlink can reach outside it.
final class StaticFiles: Sendable {
    private let rootDescriptor: Int32
    private let indexName: [UInt8]
    private let directoryListing: Bool
    private let cacheControl: CacheControlRules
    private let gzip: GzipSettings

    /// Opens the public folder. Throws when it does not exist or is not a directory.
    init(root: String, index: String, directoryListing: Bool = false, cacheControl: [String: String] = [:],
         gzip: GzipSettings = GzipSettings()) throws(SystemError) {
        let fd = Glibc.open(root, csystem_O_PATH | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open(\(root))") }
        // Every file is opened with openat2 (Linux 5.6 and later); without it nothing could be served safely.
        let probe = csystem_open_beneath(fd, ".", UInt64(O_RDONLY | O_CLOEXEC))
        guard probe >= 0 || errno != ENOSYS else {
            Syscall.close(fd)
            throw SystemError("openat2 (Linux 5.6 or later is needed to serve static files)", errno: ENOSYS)
        }
        if probe >= 0 { Syscall.close(probe) }
        rootDescriptor = fd
        indexName = Array(index.utf8)
        self.directoryListing = directoryListing
        self.cacheControl = CacheControlRules(cacheControl)
        self.gzip = gzip
    }

    deinit { Syscall.close(rootDescriptor) }

    /// The response for `request`, whose path no code route matched. `cache` is the calling worker's.
    func respond(to request: Request, cache: FileCache? = nil, now: Int64 = MonotonicClock.milliseconds()) -> Response {
        let rawPath = request.head.path.isEmpty ? Self.root : request.bytes[request.shifted(request.head.path)]
        guard request.method == .get || request.method == .head else { return refuseMethod(request, rawPath) }
        let hash = FileCache.hash(rawPath)
        if let cache, let cached = cache.entry(hash: hash, path: rawPath) {
            if now - cached.checkedAt < cache.validityMilliseconds || stillCurrent(cached, now: now) {
                cached.lastUsed = now
                return serve(cached, request, cache: cache)
            }
            cache.remove(hash: hash)
        }
        switch find(request, rawPath, cache: cache, now: now) {
        case .entry(let entry):
            cache?.insert(entry, hash: hash)
            return serve(entry, request, cache: cache)
        case .response(let response):
            return response
        }
    }

    // MARK: Finding the file

    private enum Found {
        case entry(FileEntry)
        case response(Response)
    }

    private func find(_ request: Request, _ rawPath: ArraySlice<UInt8>, cache: FileCache?, now: Int64) -> Found {
        let outcome = SafePath.resolve(rawPath)
        guard case .relative(let relative, let namesDirectory) = outcome else {
            return .response(outcome == .malformed ? .text("Bad Request\n", status: .badRequest) : Self.notFound)
        }
        switch open(relative) {
        case .failure(let error):
            return .response(error.status == .forbidden ? Self.forbidden : Self.notFound)
        case .success(let file) where file.isDirectory:
            guard namesDirectory else { return .response(redirectToDirectory(request)) }
            var indexPath = relative
            if !indexPath.isEmpty { indexPath.append(ASCII.slash) }
            indexPath.append(contentsOf: indexName)
            guard case .success(let index) = open(indexPath), index.isRegularFile else {
                guard directoryListing else { return .response(Self.forbidden) }
                return .response(DirectoryListing.response(directory: file, urlPath: request.rawPath))
            }
            return .entry(makeEntry(Array(rawPath), indexPath, index, cache: cache, now: now))
        case .success(let file):
            guard file.isRegularFile, !namesDirectory else { return .response(Self.notFound) }
            return .entry(makeEntry(Array(rawPath), relative, file, cache: cache, now: now))
        }
    }

    private func makeEntry(_ key: [UInt8], _ relative: [UInt8], _ file: OpenFile, cache: FileCache?, now: Int64) -> FileEntry {
        let contentType = MediaType.forExtension(Self.extensionOf(relative))
        let compressible = gzip.enabled && Gzip.isCompressible(contentType)
        let entry = FileEntry(
            key: key, relative: relative, file: file, contentType: contentType,
            cacheControl: cacheControl.value(forPath: [ASCII.slash] + relative),
            varyOnEncoding: compressible, now: now)
        if let cache, cache.canHoldContent(size: file.size) {
            var content: [UInt8] = []
            content.reserveCapacity(file.size)
            if file.read(offset: 0, count: file.size, appendingTo: &content) { entry.content = content }
        }
        return entry
    }

    /// Checks a cached entry against the file system: true if the same file is there, unchanged.
    private func stillCurrent(_ entry: FileEntry, now: Int64) -> Bool {
        guard case .success(let current) = open(entry.relative), current.isUnchanged(comparedTo: entry.file) else {
            return false
        }
        entry.checkedAt = now
        return true
    }

    /// Opens `relative` beneath the root, without following anything out of it.
    private func open(_ relative: [UInt8]) -> Result<OpenFile, StatusError> {
        var path = relative.isEmpty ? [ASCII.dot] : relative
        path.append(0)
        let fd = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                csystem_open_beneath(rootDescriptor, $0.baseAddress, UInt64(O_RDONLY | O_CLOEXEC | O_NONBLOCK))
            }
        }
        guard fd >= 0 else {
            return .failure(StatusError(errno == EACCES || errno == EPERM ? .forbidden : .notFound))
        }
        guard let file = OpenFile(descriptor: fd) else { return .failure(StatusError(.notFound)) }
        return .success(file)
    }

    // MARK: Serving

    private func serve(_ entry: FileEntry, _ request: Request, cache: FileCache?) -> Response {
        let headers = request.headers
        let range = request.method == .get ? headers.valueBytes("range") : nil
        let variant = range == nil && entry.isCompressible && Gzip.isAccepted(by: headers.valueBytes("accept-encoding"))
            ? gzipVariant(entry, cache: cache) : nil
        let etag = variant?.etag ?? entry.etag
        let fields = variant?.fields ?? entry.fields
        switch Preconditions.evaluate(headers, method: request.method, etag: etag,
                                      modifiedSeconds: entry.file.modificationSeconds) {
        case .notModified:
            // RFC 9110 §15.4.5: the validators and caching fields of the 200, no body and no Content-Type.
            var response = Response(status: .notModified)
            response.fieldBlock = fields
            return response
        case .failed:
            return .text("Precondition Failed\n", status: .preconditionFailed)
        case .proceed:
            break
        }
        if let variant {
            var response = Response(status: .ok, contentType: entry.contentType, body: variant.body)
            response.fieldBlock = fields
            return response
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
                response.fieldBlock = Array("Content-Range: bytes */\(entry.file.size)\r\n".utf8)
                return response
            case .ignore, .several:
                break
            }
        }
        var response = Response(status: .ok, contentType: entry.contentType, body: entry.body)
        response.fieldBlock = fields
        return response
    }

    /// The gzip variant: a precompressed `name.gz` that is not older than the file, else the file compressed
    /// (kept while the gzip budget allows), else nil (too small, too large, or zlib failed).
    private func gzipVariant(_ entry: FileEntry, cache: FileCache?) -> FileEntry.GzipVariant? {
        if let variant = entry.gzip { return variant }
        if entry.gzipChecked { return nil }
        let cacheControlValue = cacheControl.value(forPath: [ASCII.slash] + entry.relative)
        if case .success(let precompressed) = open(entry.relative + Array(".gz".utf8)), precompressed.isRegularFile,
           precompressed.modificationSeconds >= entry.file.modificationSeconds {
            let nanoseconds = precompressed.modificationSeconds * 1_000_000_000 + precompressed.modificationNanoseconds
            let etag = FileEntry.etag(nanoseconds: nanoseconds, size: precompressed.size, suffix: "-gz")
            let variant = FileEntry.GzipVariant(
                body: Response.Body(.file(precompressed)), etag: etag,
                fields: Self.gzipFields(entry, etag: etag, cacheControl: cacheControlValue), memoryBytes: 0)
            if cache != nil { entry.gzip = variant }
            entry.gzipChecked = cache != nil
            return variant
        }
        guard entry.file.size >= gzip.minBytes, entry.file.size <= gzip.maxBytes else {
            entry.gzipChecked = cache != nil
            return nil
        }
        var source = entry.content ?? []
        if entry.content == nil, !entry.file.read(offset: 0, count: entry.file.size, appendingTo: &source) { return nil }
        guard let compressed = Gzip.compress(source, level: gzip.level) else { return nil }
        let etag = Array(entry.etag.dropLast()) + Array("-gz\"".utf8)
        let variant = FileEntry.GzipVariant(
            body: .bytes(compressed), etag: etag,
            fields: Self.gzipFields(entry, etag: etag, cacheControl: cacheControlValue), memoryBytes: compressed.count)
        if let cache, cache.canHoldGzip(compressed.count) {
            entry.gzip = variant
            cache.didStoreGzip(compressed.count)
        }
        return variant
    }

    private static func gzipFields(_ entry: FileEntry, etag: [UInt8], cacheControl: String?) -> [UInt8] {
        FileEntry.encodeFields(
            lastModified: entry.lastModified, etag: etag, cacheControl: cacheControl, varyOnEncoding: true,
            extra: "Content-Encoding: gzip\r\n")
    }

    // MARK: Other answers

    /// Methods other than GET and HEAD: OPTIONS lists what is allowed, others get 405; on nothing, 404.
    private func refuseMethod(_ request: Request, _ rawPath: ArraySlice<UInt8>) -> Response {
        guard case .relative(let relative, _) = SafePath.resolve(rawPath), case .success = open(relative) else {
            return Self.notFound
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
    private static let notFound = Response.text("Not Found\n", status: .notFound)
    private static let forbidden = Response.text("Forbidden\n", status: .forbidden)
    private static let options = Response(status: .noContent, headers: [HTTPField(name: "Allow", value: "GET, HEAD")])
    private static let methodNotAllowed = Response(
        status: .methodNotAllowed, contentType: MediaType.plainText,
        headers: [HTTPField(name: "Allow", value: "GET, HEAD")], body: .string("Method Not Allowed\n"))
}

/// A status carried as an error, for `Result`.
struct StatusError: Error {
    let status: Status
    init(_ status: Status) { self.status = status }
}
