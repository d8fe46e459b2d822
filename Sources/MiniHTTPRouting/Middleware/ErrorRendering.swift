import MiniHTTPCore

/// The response for an error thrown by a handler or a middleware, rendered inside the middleware chain
/// so that the outer ``Middleware/finish(_:for:)`` hooks (CORS, request IDs) still see it: the answer the
/// error asks for (``HTTPError/answering(_:)``: an ``HTTPResponseError``'s status and message, 400 naming
/// the key for a `DecodingError`, else a 500 that does not leak the error's text), written in the route's
/// ``ErrorBodyFormat``.
package func renderError(_ error: any Error, for request: Request) -> Response {
    request.errorFormat.response(for: error)
}

/// `renderError`, with the error kept on the response for the server's log.
package func renderedResponse(for error: any Error, _ request: Request) -> Response {
    var response = renderError(error, for: request)
    response.error = error
    // The plain-text 500 that hides an error is the server's own answer (an `errorPages` page may replace
    // it); an `HTTPResponseError` is the handler's, and problem details stay problem details.
    if response.status.code >= 500, request.errorFormat == .plainText, !(error is any HTTPResponseError) {
        response.isServerAnswer = true
    }
    return response
}
