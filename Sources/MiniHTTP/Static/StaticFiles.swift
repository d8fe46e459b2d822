import CSystem
import Glibc

/// Serves GET and HEAD from the public folder: a directory's index file, content types by extension,
/// redirects from `/dir` to `/dir/`. Every open is `openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)`
/// relative to the folder's descriptor, so no path and no symlink can reach outside it.
final class StaticFiles: Sendable {
    private let rootDescriptor: Int32
    private let indexName: [UInt8]

    /// Opens the public folder. Throws when it does not exist or is not a directory.
    init(root: String, index: String) throws(SystemError) {
        let fd = Glibc.open(root, csystem_O_PATH | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open(\(root))") }
        rootDescriptor = fd
        indexName = Array(index.utf8)
    }

    deinit { Syscall.close(rootDescriptor) }

    /// The response for `request`, whose path no code route matched.
    func respond(to request: Request) -> Response {
        let rawPath = request.head.path.isEmpty ? Self.root : request.bytes[request.shifted(request.head.path)]
        let outcome = SafePath.resolve(rawPath)
        guard case .relative(let relative, let namesDirectory) = outcome else {
            return outcome == .malformed ? .text("Bad Request\n", status: .badRequest) : Self.notFound
        }
        let opened = open(relative)
        guard request.method == .get || request.method == .head else {
            guard case .success = opened else { return Self.notFound }
            return request.method == .options ? Self.options : Self.methodNotAllowed
        }
        switch opened {
        case .failure(let status):
            return status.status == .forbidden ? Self.forbidden : Self.notFound
        case .success(let file) where file.isDirectory:
            guard namesDirectory else { return redirectToDirectory(request) }
            var indexPath = relative
            if !indexPath.isEmpty { indexPath.append(ASCII.slash) }
            indexPath.append(contentsOf: indexName)
            guard case .success(let index) = open(indexPath), index.isRegularFile else { return Self.forbidden }
            return Response(contentType: MediaType.forExtension(Self.extensionOf(indexName)), body: .init(.file(index)))
        case .success(let file):
            guard file.isRegularFile, !namesDirectory else { return Self.notFound }
            return Response(contentType: MediaType.forExtension(Self.extensionOf(relative)), body: .init(.file(file)))
        }
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

    /// `/dir` → 301 `/dir/`, keeping the query. Leading slashes are collapsed so the Location can never be
    /// protocol-relative (`//evil.example/`), which would send the browser to another host.
    private func redirectToDirectory(_ request: Request) -> Response {
        var location = "/" + String(request.rawPath.drop { $0 == "/" }) + "/"
        if let query = request.rawQuery { location += "?" + query }
        var response = Response.redirect(to: location, status: .movedPermanently)
        response.contentType = MediaType.html
        response.body = .string("<a href=\"\(location)\">Moved Permanently</a>\n")
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
