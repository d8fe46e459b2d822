import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Files named by a handler (`Response.file`), a single-page app's fallback and error pages: served by the
/// same pipeline as the public folder's — validators, 304/412, ranges, gzip, `sendfile`, the open-file
/// cache — and opened beneath their root the same way.
extension StaticFiles {
    /// The file a handler answered with, for `request` on the worker with `cache`. Status 200 gets the
    /// pipeline's conditionals and ranges; another status, the whole file with that status.
    func respond(to reference: StaticFileReference, status: Status, request: Request, cache: FileCache?, now: Int64)
        -> Response
    {
        guard let root = reference.root?.folder ?? folder else {
            return CannedResponse.internalServerError  // no public folder: see Worker.resolveFiles, which logs it
        }
        guard case .relative(let relative, isDirectory: false) = SafePath.resolve(filePath: reference.path) else {
            return CannedResponse.notFound
        }
        return respond(toFile: relative, in: root, status: status, request: request, cache: cache, now: now)
    }

    /// `relative` beneath `root`, cached under a key no request path can have (request paths begin with
    /// `/`), distinct for each root.
    func respond(
        toFile relative: [UInt8], in root: PublicFolder, status: Status = .ok, request: Request, cache: FileCache?,
        now: Int64
    ) -> Response {
        var key: [UInt8] = [0]
        withUnsafeBytes(of: UInt(bitPattern: ObjectIdentifier(root))) { key.append(contentsOf: $0) }
        key.append(contentsOf: relative)
        let hash = FileCache.hash(key)
        let entry: FileEntry
        if let cached = cachedEntry(hash: hash, key: key, cache: cache, now: now) {
            entry = cached
        } else {
            switch root.open(relative) {
            case .failure(let error):
                return Self.failure(error.status)
            case .success(let file) where file.isRegularFile:
                entry = makeEntry(key, root, relative, file, cache: cache, now: now)
                cache?.insert(entry, hash: hash)
            case .success:
                return CannedResponse.notFound  // a directory
            }
        }
        guard status == .ok else {
            // Not the representation a validator or a range describes: the whole file, with the status.
            var response = Response(status: status, contentType: entry.contentType, body: entry.body)
            response.fieldBlock = Self.noSniff
            return response
        }
        return serve(entry, request, cache: cache)
    }
}
