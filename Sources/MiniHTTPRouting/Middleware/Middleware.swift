import MiniHTTPCore

/// Runs around every request of its router or group — synchronous, async and streamed routes alike — and
/// around the server's own answers for paths the router or group owns (404, 405, `OPTIONS`, static files).
///
/// Two hooks, both optional:
///
/// ```swift
/// struct ServerName: Middleware {
///     func finish(_ response: inout Response, for request: Request) {
///         response.addHeader("X-Served-By", "api")
///     }
/// }
/// router.add(middleware: ServerName())
/// ```
///
/// Hooks rather than a `next` closure: a synchronous "around" function could not wrap an `async` handler,
/// so one middleware would need two implementations. Hooks run in every context, on the worker thread
/// for a synchronous route (no task, no allocation of their own). For what only "around" can do — await
/// a session store, time the handler — write an ``AsyncMiddleware``.
///
/// Order: the router's middleware in the order added, then each enclosing group's, then the handler;
/// ``finish(_:for:)`` runs in the reverse order. It does not matter whether routes were registered before
/// or after the middleware.
public protocol Middleware: Sendable {
    /// Runs before the handler. Change `request` (``Request/requestID`` and the like) and return nil to
    /// go on, or return a response to answer now: the handler and the inner middleware do not run, the
    /// ``finish(_:for:)`` hooks of this middleware and of the outer ones do. A thrown error is rendered
    /// to a response (500) at this layer, which then goes on outward the same way.
    func handle(_ request: inout Request) throws -> Response?

    /// Runs after the handler, on whatever answers: the handler's response, an inner middleware's early
    /// answer, the response rendered from a thrown error, or one of the server's own answers.
    func finish(_ response: inout Response, for request: Request)
}

extension Middleware {
    /// Goes on to the handler.
    public func handle(_ request: inout Request) throws -> Response? { nil }

    /// Leaves the response as it is.
    public func finish(_ response: inout Response, for request: Request) {}
}

/// Middleware that awaits: a session store, a token service. It wraps the rest of the chain as `next`.
///
/// ```swift
/// struct Timing: AsyncMiddleware {
///     func respond(to request: Request, next: (Request) async throws -> Response) async throws -> Response {
///         let start = ContinuousClock.now
///         var response = try await next(request)
///         response.addHeader("Server-Timing", "app;dur=\((ContinuousClock.now - start).components.seconds)")
///         return response
///     }
/// }
/// ```
///
/// A synchronous route behind an async middleware runs as an async route (a task per request). The
/// server's own answers (404, 405, `OPTIONS`, static files) pass only the synchronous ``Middleware`` of
/// the owning scope: they are given on the worker thread while the request's body may still be unread.
public protocol AsyncMiddleware: Sendable {
    /// The response to `request`; call `next` (at most once) for the inner middleware and the handler.
    /// `next` does not throw for the handler's errors: they arrive as rendered responses. An error this
    /// method throws is rendered to a response (500) here.
    func respond(to request: Request, next: (Request) async throws -> Response) async throws -> Response
}

/// A middleware as a router or group keeps it, in the order added.
package enum MiddlewareEntry: Sendable {
    case sync(any Middleware)
    case async(any AsyncMiddleware)

    package var syncMiddleware: (any Middleware)? {
        if case .sync(let middleware) = self { return middleware }
        return nil
    }
}
