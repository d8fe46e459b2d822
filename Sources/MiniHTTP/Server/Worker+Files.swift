import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Files in responses, resolved in one place for synchronous and async handlers alike (`answer`): a
/// handler's `Response.file` through the static-file pipeline, then a configured error page in place of the
/// server's own error body. Both need the request's head, which is still the connection's.
extension Worker {
    /// Opens and serves a handler's file in `response`, and puts an error page in place of the server's own
    /// error. Anything else is left untouched, in place: no copy, no allocation.
    func resolveFiles(_ response: inout Response, _ connection: Connection) {
        if case .staticFile(let reference) = response.body.storage {
            response = handlerFile(reference, response, connection)
        }
        if response.isServerAnswer, !context.errorPages.isEmpty, let page = errorPage(for: response, connection) {
            response = page
        }
    }

    /// The file of `response` for the current request. Status 200 gets conditionals and ranges; the
    /// handler's `contentType` replaces the file's, and its header fields go beside the file's.
    private func handlerFile(_ reference: StaticFileReference, _ response: Response, _ connection: Connection)
        -> Response
    {
        guard let files = context.files, reference.root != nil || files.folder != nil else {
            logger.error("Response.file(\"\(reference.path)\"): the server has no public folder; give a FileRoot")
            return CannedResponse.internalServerError
        }
        var served = files.respond(
            to: reference, status: response.status, request: makeRequest(connection, body: []),
            cache: files.fileCaches[index], now: now)
        guard !served.isServerAnswer else { return served }  // missing, forbidden: the server's own answer
        if let contentType = response.contentType, served.status == response.status || served.status == .partialContent {
            served.contentType = contentType
        }
        if !response.headers.fields.isEmpty { served.headers.fields = response.headers.fields + served.headers.fields }
        return served
    }

    /// The configured page for the status of the server's own `response`, with its fields (`Allow` of a
    /// 405); nil when there is none, or it cannot be served (then the plain answer goes).
    private func errorPage(for response: Response, _ connection: Connection) -> Response? {
        guard let relative = context.errorPages.page(for: response.status), let files = context.files,
              let folder = files.folder
        else { return nil }
        var page = files.respond(
            toFile: relative, in: folder, status: response.status, request: makeRequest(connection, body: []),
            cache: files.fileCaches[index], now: now)
        guard page.status == response.status, !page.isServerAnswer else {
            logger.warning("error page /\(String(decoding: relative, as: UTF8.self)) for \(response.status.code) cannot be served")
            return nil
        }
        page.headers = response.headers
        page.fieldBlock = ErrorPages.fields
        return page
    }
}
