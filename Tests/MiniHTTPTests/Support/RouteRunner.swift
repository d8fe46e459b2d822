@testable import MiniHTTPCore
@testable import MiniHTTPRouting

/// Runs a request through a frozen router without a socket, as the worker does: the route's composed
/// chain, or the server's own answer (404, 405, redirect) through the owning scope's middleware.
enum RouteRunner {
    static func respond(
        _ table: RouteTable, _ method: HTTPMethod, _ target: String, fields: [String] = []
    ) async -> Response {
        var request = TestRequests.make(method: method, target: target, fields: fields)
        let match = table.match(method, path: request.shifted(request.head.path), in: request.bytes,
                                query: request.head.query.map(request.shifted))
        switch match {
        case .handler(.sync(let handler), let parameters):
            request.parameters = parameters
            return handler(&request)
        case .handler(.async(let handler), let parameters), .handler(.asyncStreamingBody(let handler, _), let parameters):
            request.parameters = parameters
            return (try? await handler(request)) ?? Response(status: Status(code: 599))
        case .methodNotAllowed(_, let scope):
            return scope.answer(request) { _ in .text("Method Not Allowed\n", status: .methodNotAllowed) }
        case .notFound(let scope):
            return scope.answer(request) { _ in .text("Not Found\n", status: .notFound) }
        case .redirect(let location, let scope):
            return scope.answer(request) { _ in .redirect(to: location, status: .permanentRedirect) }
        }
    }

    static func respond(_ router: Router, _ method: HTTPMethod, _ target: String, fields: [String] = []) async
        -> Response
    {
        await respond(router.freeze(), method, target, fields: fields)
    }

    /// A `GET` of `target`.
    static func respond(_ router: Router, _ target: String) async -> Response {
        await respond(router.freeze(), .get, target)
    }
}

extension Response {
    /// The body as text (bytes or string bodies).
    var bodyText: String {
        switch body.storage {
        case .string(let text): text
        case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
        default: ""
        }
    }

    /// Every header field, the encoded block's and the array's, as (name, value).
    var allFields: [(name: String, value: String)] {
        let block = String(decoding: fieldBlock, as: UTF8.self)
        let encoded = block.split(separator: "\r\n").map { line -> (name: String, value: String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
        }
        return encoded + headers.map { ($0.name, $0.value) }
    }

    /// The values of every field called `name` (any case).
    func values(_ name: String) -> [String] {
        allFields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}
