import MiniHTTPCore
import MiniHTTPPosix
/// Maps a method and a path to a handler. Build it, then hand it to ``Server``:
///
/// ```swift
/// var router = Router()
/// router.get("/hello/:name") { request in
///     .text("Hello, \(request.parameters["name"] ?? "stranger")!\n")
/// }
/// ```
///
/// Patterns are `/`-separated: a literal segment matches itself, `:name` matches any one segment and
/// captures it, and a final `*` matches the rest of the path. When several routes could match, a literal
/// segment wins over a parameter, and a parameter over `*`. A `GET` route answers `HEAD` too (without
/// its body). A path that matches with another method is answered 405 with `Allow`; a path that matches
/// nothing goes to the fallback (the server's static files), or 404.
public struct Router: Sendable {
    package struct Route: Sendable {
        package let method: HTTPMethod
        package let pattern: RoutePattern
        package let handler: RouteHandler
    }

    /// A handler that answers on the worker thread, or one that awaits and answers later.
    package enum RouteHandler: Sendable {
        case sync(Handler)
        case async(AsyncHandler)
        /// An async handler that reads its body as it arrives, up to `maxBytes`.
        case asyncStreamingBody(AsyncHandler, maxBytes: Int)
    }

    package private(set) var routes: [Route] = []
    /// Problems found while registering (a malformed pattern); reported when the server starts.
    package private(set) var invalidPatterns: [String] = []
    /// What answers a path that no route matches (with any method). Nil: the server's static files when
    /// it has a public folder, else 404.
    public var fallback: (any Responder)?

    public init() {}

    /// Registers `handler` for `method` requests whose path matches `pattern`. A later registration of
    /// the same method and pattern replaces the earlier one.
    public mutating func on(method: HTTPMethod, path pattern: String, _ handler: @escaping Handler) {
        register(method, pattern, .sync(handler))
    }

    /// Registers an `async` handler for `method` requests whose path matches `pattern`: the worker parks
    /// the connection while it runs and writes its response, in order, when it returns (see
    /// ``AsyncHandler``). Choose it for handlers that await a database or another service; a handler that
    /// only computes its answer is cheaper synchronous.
    public mutating func on(method: HTTPMethod, path pattern: String, _ handler: @escaping AsyncHandler) {
        register(method, pattern, .async(handler))
    }

    /// Registers an `async` handler that takes its request body as `body` says: with
    /// ``RequestBodyHandling/streamed(maxBytes:)`` the handler starts as soon as the head has arrived and
    /// reads the body from ``Request/bodyStream`` as it comes — an upload larger than `maxBodyBytes`.
    public mutating func on(
        method: HTTPMethod, path pattern: String, body: RequestBodyHandling, _ handler: @escaping AsyncHandler
    ) {
        switch body {
        case .buffered: register(method, pattern, .async(handler))
        case .streamed(let maxBytes): register(method, pattern, .asyncStreamingBody(handler, maxBytes: max(0, maxBytes)))
        }
    }

    /// Registers an `async` `POST` route that takes its body as `body` says (see ``on(method:path:body:_:)``).
    public mutating func post(_ pattern: String, body: RequestBodyHandling, _ handler: @escaping AsyncHandler) {
        on(method: .post, path: pattern, body: body, handler)
    }

    /// Registers an `async` `PUT` route that takes its body as `body` says (see ``on(method:path:body:_:)``).
    public mutating func put(_ pattern: String, body: RequestBodyHandling, _ handler: @escaping AsyncHandler) {
        on(method: .put, path: pattern, body: body, handler)
    }

    private mutating func register(_ method: HTTPMethod, _ pattern: String, _ handler: RouteHandler) {
        guard let parsed = RoutePattern(pattern) else {
            invalidPatterns.append(pattern)
            return
        }
        routes.removeAll { $0.method == method && $0.pattern == parsed }
        routes.append(Route(method: method, pattern: parsed, handler: handler))
    }

    /// Registers a `GET` route (which answers `HEAD` too).
    public mutating func get(_ pattern: String, _ handler: @escaping Handler) {
        on(method: .get, path: pattern, handler)
    }

    /// Registers a `HEAD` route, taking precedence over the `GET` route's automatic `HEAD`.
    public mutating func head(_ pattern: String, _ handler: @escaping Handler) {
        on(method: .head, path: pattern, handler)
    }

    /// Registers a `POST` route.
    public mutating func post(_ pattern: String, _ handler: @escaping Handler) {
        on(method: .post, path: pattern, handler)
    }

    /// Registers a `PUT` route.
    public mutating func put(_ pattern: String, _ handler: @escaping Handler) {
        on(method: .put, path: pattern, handler)
    }

    /// Registers a `PATCH` route.
    public mutating func patch(_ pattern: String, _ handler: @escaping Handler) {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers a `DELETE` route.
    public mutating func delete(_ pattern: String, _ handler: @escaping Handler) {
        on(method: .delete, path: pattern, handler)
    }

    /// Registers an `async` `GET` route (which answers `HEAD` too).
    public mutating func get(_ pattern: String, _ handler: @escaping AsyncHandler) {
        on(method: .get, path: pattern, handler)
    }

    /// Registers an `async` `POST` route.
    public mutating func post(_ pattern: String, _ handler: @escaping AsyncHandler) {
        on(method: .post, path: pattern, handler)
    }

    /// Registers an `async` `PUT` route.
    public mutating func put(_ pattern: String, _ handler: @escaping AsyncHandler) {
        on(method: .put, path: pattern, handler)
    }

    /// Registers an `async` `PATCH` route.
    public mutating func patch(_ pattern: String, _ handler: @escaping AsyncHandler) {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers an `async` `DELETE` route.
    public mutating func delete(_ pattern: String, _ handler: @escaping AsyncHandler) {
        on(method: .delete, path: pattern, handler)
    }

    /// The immutable lookup structure the workers share.
    package func freeze() -> RouteTable {
        RouteTable(routes: routes, fallback: fallback)
    }
}
