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
        return answers(&request, answer)
    }
}
