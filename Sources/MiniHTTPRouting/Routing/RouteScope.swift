import MiniHTTPCore

/// What the router or a group passes on to the answers given for paths it owns, frozen: its middleware's
/// synchronous hooks (for the server's own answers: 404, 405, `OPTIONS`, static files, redirects) and its
/// JSON coding.
package final class RouteScope: Sendable {
    /// The middleware's hooks around an answer; nil without synchronous middleware (most scopes, and every
    /// static file then): the answer is given as it is, without the mutable copy of the request a chain needs.
    private let answers: MiddlewareChain.AnswerChain?
    package let coding: JSONCoding

    package let errorFormat: ErrorBodyFormat
    /// The 404 for a path beneath the scope in its error format; nil for plain text (the server's own).
    package let notFound: Response?

    package init(middleware: [MiddlewareEntry], coding: JSONCoding, errorFormat: ErrorBodyFormat = .plainText) {
        let synchronous = middleware.compactMap(\.syncMiddleware)
        answers = synchronous.isEmpty ? nil : MiddlewareChain.answers(synchronous, errorFormat)
        self.coding = coding
        self.errorFormat = errorFormat
        notFound = errorFormat == .plainText ? nil : errorFormat.response(for: HTTPError(.notFound))
    }

    /// `answer` (the server's response to `request`) passed through the scope's middleware, which may
    /// answer first (a CORS preflight) and finishes whatever is answered.
    package func answer(_ request: Request, _ answer: (Request) -> Response) -> Response {
        guard let answers else { return formatted(answer(request)) }
        var request = request
        return answers(&request) { request in formatted(answer(request)) }
    }

    /// The server's own error answers (405, 403…) in the scope's format; a file's (an error page) as it is.
    private func formatted(_ response: consuming Response) -> Response {
        guard errorFormat != .plainText, response.isCannedError else { return response }
        return errorFormat.response(for: HTTPError(response.status, headers: response.headers.fields))
    }
}
