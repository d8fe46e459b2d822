import MiniHTTPCore

/// The server's own answers, in one place: errors, 404, 405, `OPTIONS`, the over-limit 503 — for the
/// worker, the static files and `Response.file` alike. Each passes the same finaliser and encoder as a
/// handler's response, so it carries `Date`, `Server` and the server's framing like any other.
package enum CannedResponse {
    /// `status` with its reason phrase as a plain-text body, e.g. `400 Bad Request` → "Bad Request\n".
    package static func error(_ status: Status) -> Response {
        switch status.code {
        case 400: badRequest
        case 403: forbidden
        case 404: notFound
        case 408: requestTimeout
        case 413: contentTooLarge
        case 431: headerFieldsTooLarge
        case 500: internalServerError
        default: canned(status)
        }
    }

    package static let badRequest = canned(.badRequest)
    package static let forbidden = canned(.forbidden)
    package static let notFound = canned(.notFound)
    package static let requestTimeout = canned(.requestTimeout)
    package static let contentTooLarge = canned(.contentTooLarge)
    package static let headerFieldsTooLarge = canned(.requestHeaderFieldsTooLarge)
    package static let internalServerError = canned(.internalServerError)

    /// `status` with its reason phrase as a plain-text body, marked as the server's own (for a scope's
    /// error format, and for a configured error page).
    private static func canned(_ status: Status, headers: [HTTPField] = []) -> Response {
        var response = Response(
            status: status, contentType: MediaType.plainText, headers: ResponseHeaders(headers),
            body: .string("\(status.reason)\n"))
        response.origin = .cannedError
        return response
    }

    /// Over a connection limit: sent in one write by the accepting worker, then the connection is closed.
    package static func overloaded(date: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        _ = ResponseEncoder.appendHead(
            status: .serviceUnavailable, contentType: MediaType.plainText, fieldBlock: [],
            fields: [HTTPField(name: "Retry-After", value: "1")], framing: .length(overloadedBody.count),
            keepAlive: false, date: date, into: &bytes)
        return bytes + overloadedBody
    }

    private static let overloadedBody = Array("Service Unavailable\n".utf8)

    /// The path exists, but not for this method (RFC 9110 §15.5.6: `Allow` lists those that do).
    package static func methodNotAllowed(_ allowed: [HTTPMethod]) -> Response {
        canned(.methodNotAllowed, headers: [allowField(allowed)])
    }

    /// `OPTIONS` for a path: the methods it answers, no body.
    package static func options(_ allowed: [HTTPMethod]) -> Response {
        Response(status: .noContent, headers: [allowField(allowed)])
    }

    private static func allowField(_ allowed: [HTTPMethod]) -> HTTPField {
        HTTPField(name: "Allow", value: allowed.map(\.description).joined(separator: ", "))
    }
}
