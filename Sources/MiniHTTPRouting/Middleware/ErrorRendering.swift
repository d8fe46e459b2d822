import MiniHTTPCore

/// The response for an error thrown by a handler or a middleware, rendered inside the middleware chain
/// so that the outer ``Middleware/finish(_:for:)`` hooks (CORS, request IDs) still see it: the answer the
/// error asks for (``HTTPError/answering(_:)``: an ``HTTPResponseError``'s status and message, 400 naming
/// the key for a `DecodingError`, else a 500 that does not leak the error's text).
package func renderError(_ error: any Error, for request: Request) -> Response {
    ErrorBodyFormat.plainText.response(for: error)
}

/// `renderError`, with the error kept on the response for the server's log.
package func renderedResponse(for error: any Error, _ request: Request) -> Response {
    var response = renderError(error, for: request)
    response.error = error
    // The 500 that hides an error is the server's own answer (an `errorPages` page may replace it); an
    // `HTTPResponseError` is the handler's, sent as it says.
    if response.status.code >= 500, !(error is any HTTPResponseError) { response.isServerAnswer = true }
    return response
}
