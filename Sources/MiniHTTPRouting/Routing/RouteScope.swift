import MiniHTTPCore

/// What the router or a group passes on to the answers given for paths it owns, frozen: its middleware's
/// synchronous hooks (for the server's own answers: 404, 405, `OPTIONS`, static files, redirects) and its
/// JSON coding.
package final class RouteScope: Sendable {
    package let answers: MiddlewareChain.AnswerChain
    package let coding: JSONCoding
    package let errorFormat: ErrorBodyFormat

    package init(middleware: [MiddlewareEntry], coding: JSONCoding, errors: ErrorBodyFormat) {
        answers = MiddlewareChain.answers(middleware.compactMap(\.syncMiddleware))
        self.coding = coding
        errorFormat = errors
    }

    /// `answer` (the server's response to `request`) passed through the scope's middleware, which may
    /// answer first (a CORS preflight) and finishes whatever is answered.
    package func answer(_ request: Request, _ answer: (Request) -> Response) -> Response {
        var request = request
        request.errorFormat = errorFormat
        let format = errorFormat
        return answers(&request) { request in
            let response = answer(request)
            // The server's own error answers (404, 405…) in the scope's format; a file's (an error page) as it is.
            guard format != .plainText, response.isCannedError else { return response }
            return format.response(for: HTTPError(response.status, headers: response.headers.fields))
        }
    }
}
