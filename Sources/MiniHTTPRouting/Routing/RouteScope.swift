import MiniHTTPCore

/// What the router or a group passes on to the answers given for paths it owns, frozen: its middleware's
/// synchronous hooks (for the server's own answers: 404, 405, `OPTIONS`, static files, redirects) and its
/// JSON coding.
package final class RouteScope: Sendable {
    package let answers: MiddlewareChain.AnswerChain
    package let coding: JSONCoding

    package let errorFormat: ErrorBodyFormat
    /// The 404 for a path beneath the scope in its error format; nil for plain text (the server's own).
    package let notFound: Response?

    package init(middleware: [MiddlewareEntry], coding: JSONCoding, errorFormat: ErrorBodyFormat = .plainText) {
        answers = MiddlewareChain.answers(middleware.compactMap(\.syncMiddleware), errorFormat)
        self.coding = coding
        self.errorFormat = errorFormat
        notFound = errorFormat == .plainText ? nil : errorFormat.response(for: HTTPError(.notFound))
    }

    /// `answer` (the server's response to `request`) passed through the scope's middleware, which may
    /// answer first (a CORS preflight) and finishes whatever is answered.
    package func answer(_ request: Request, _ answer: (Request) -> Response) -> Response {
        var request = request
        guard errorFormat != .plainText else { return answers(&request, answer) }
        let format = errorFormat
        return answers(&request) { request in
            // The server's own error answers (405, 403…) in the scope's format; a file's (an error page) as it is.
            let response = answer(request)
            guard response.isCannedError else { return response }
            return format.response(for: HTTPError(response.status, headers: response.headers.fields))
        }
    }
}
