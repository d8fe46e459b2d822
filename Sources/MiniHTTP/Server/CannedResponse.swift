import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// The server's own answers, in one place: errors, 404, 405, `OPTIONS`, the over-limit 503. Each passes
/// the same finaliser and encoder as a handler's response (`Worker.queue`), so it carries `Date`,
/// `Server` and the server's framing like any other.
enum CannedResponse {
    /// `status` with its reason phrase as a plain-text body, e.g. `400 Bad Request` → "Bad Request\n".
    static func error(_ status: Status) -> Response {
        switch status.code {
        case 400: badRequest
        case 404: notFound
        case 408: requestTimeout
        case 413: contentTooLarge
        case 431: headerFieldsTooLarge
        case 500: internalServerError
        default: .text("\(status.reason)\n", status: status)
        }
    }

    static let badRequest = Response.text("Bad Request\n", status: .badRequest)
    static let notFound = Response.text("Not Found\n", status: .notFound)
    static let requestTimeout = Response.text("Request Timeout\n", status: .requestTimeout)
    static let contentTooLarge = Response.text("Content Too Large\n", status: .contentTooLarge)
    static let headerFieldsTooLarge = Response.text(
        "Request Header Fields Too Large\n", status: .requestHeaderFieldsTooLarge)
    static let internalServerError = Response.text("Internal Server Error\n", status: .internalServerError)
    /// Over a connection limit: sent in one write by the accepting worker, then the connection is closed.
    static func overloaded(date: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        _ = ResponseEncoder.appendHead(
            overloadedHead, framing: .length(overloadedBody.count), keepAlive: false, date: date, into: &bytes)
        return bytes + overloadedBody
    }

    private static let overloadedBody = Array("Service Unavailable\n".utf8)
    private static let overloadedHead = Response(
        status: .serviceUnavailable, contentType: MediaType.plainText,
        headers: [HTTPField(name: "Retry-After", value: "1")])

    /// The path exists, but not for this method (RFC 9110 §15.5.6: `Allow` lists those that do).
    static func methodNotAllowed(_ allowed: [HTTPMethod]) -> Response {
        Response(
            status: .methodNotAllowed, contentType: MediaType.plainText,
            headers: [HTTPField(name: "Allow", value: allowed.map(\.description).joined(separator: ", "))],
            body: .string("Method Not Allowed\n"))
    }

    /// `OPTIONS` for a path: the methods it answers, no body.
    static func options(_ allowed: [HTTPMethod]) -> Response {
        Response(status: .noContent,
                 headers: [HTTPField(name: "Allow", value: allowed.map(\.description).joined(separator: ", "))])
    }
}
