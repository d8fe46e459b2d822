import MiniHTTPCore

/// The response for an error thrown by a handler or a middleware, rendered inside the middleware chain
/// so that the outer ``Middleware/finish(_:for:)`` hooks (CORS, request IDs) still see it: by the rules
/// of ``HTTPError/answering(_:)`` (an ``HTTPResponseError`` as it says, a `DecodingError` as 400, anything
/// else a 500 that hides the error's text), in the scope's body format.
package func renderError(_ error: any Error, for request: Request, format: ErrorBodyFormat = .plainText) -> Response {
    format.response(for: error)
}

/// `renderError`, with the error kept on the response for the server's log.
package func renderedResponse(for error: any Error, _ request: Request, _ format: ErrorBodyFormat) -> Response {
    var response = renderError(error, for: request, format: format)
    response.error = error
    // The plain-text 500 that hides an error is the server's own answer (an `errorPages` page may replace
    // it); an `HTTPResponseError` is the handler's, and problem details stay problem details.
    if response.status.code >= 500, format == .plainText, !(error is any HTTPResponseError) {
        response.origin = .hiddenError
    }
    return response
}
