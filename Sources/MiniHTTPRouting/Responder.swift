import MiniHTTPCore

/// Something that answers requests synchronously: what the router falls back to when no route matches a
/// path (the server's static files are one; a custom 404 page or a single-page app's `index.html` are
/// others).
///
/// ```swift
/// struct NotFoundPage: Responder {
///     func respond(to request: Request) throws -> Response {
///         .html("<h1>Nothing at \(request.path)</h1>", status: .notFound)
///     }
/// }
/// router.fallback = NotFoundPage()
/// ```
public protocol Responder: Sendable {
    /// The response to `request`. Runs on the worker thread that owns the connection, as a synchronous
    /// handler does: it must not block. A thrown error is logged and answered 500.
    func respond(to request: Request) throws -> Response
}
