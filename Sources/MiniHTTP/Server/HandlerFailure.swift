import Logging
import MiniHTTPCore
import MiniHTTPRouting

/// What a handler's thrown error becomes, for synchronous and async handlers alike: the answer the error
/// asks for (``HTTPError/answering(_:)``: an `HTTPResponseError`'s status, 400 for a `DecodingError`,
/// else 500 without the error's text), in the chosen body format. A 5xx is logged as the server's fault
/// with the error itself; a 4xx at debug level (the client's mistake).
enum HandlerFailure {
    static func response(
        for error: any Error, to request: Request, format: ErrorBodyFormat, logger: Logger
    ) -> Response {
        let answer = HTTPError.answering(error)
        if answer.status.code >= 500 {
            logger.error("handler for \(request.method) \(request.rawPath) threw: \(error)")
        } else {
            logger.debug("handler for \(request.method) \(request.rawPath) answered \(answer.status.code): \(error)")
        }
        var response = format.response(for: answer)
        // The 500 that hides an error is the server's own answer (an `errorPages` page may replace it); an
        // `HTTPResponseError` is the handler's, sent as it says.
        if answer.status.code >= 500, !(error is any HTTPResponseError) { response.origin = .hiddenError }
        return response
    }
}
