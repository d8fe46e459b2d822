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
/// nothing goes to the fallback (the server's static files), or 404. Routes, middleware and groups are
/// registered through ``RouteBuilder``.
public struct Router: RouteBuilder, Sendable {
    /// A route frozen: its full pattern, its handler composed with its middleware, and its scope.
    package struct Route: Sendable {
        package let method: HTTPMethod
        package let pattern: RoutePattern
        package let handler: RouteHandler
        package let scope: RouteScope
    }

    /// A handler that answers on the worker thread, or one that awaits and answers later. Each already
    /// holds the route's middleware and renders thrown errors: it does not throw.
    package enum RouteHandler: Sendable {
        /// Takes the request `inout`: the worker owns it, so middleware that changes it needs no copy.
        case sync(MiddlewareChain.SyncChain)
        case async(AsyncHandler)
        /// An async handler that reads its body as it arrives, up to `maxBytes`.
        case asyncStreamingBody(AsyncHandler, maxBytes: Int)
    }

    /// The routes and middleware registered on the router itself: a group without a prefix.
    package private(set) var root = RouteGroup(prefix: [])
    /// What answers a path that no route matches (with any method) and, when the server has a public
    /// folder, no file either: the folder is always tried first. Nil: the folder's 404.
    public var fallback: (any Responder)?
    /// What a path that matches only with its final `/` added or removed gets: a 308 redirect by default.
    public var trailingSlash: TrailingSlash = .redirect
    /// The JSON coding of `Encodable` results, unless a group sets its own: ISO 8601 dates by default.
    public var json: JSONCoding {
        get { root.json ?? .default }
        set { root.json = newValue }
    }

    /// How errors thrown by handlers and middleware are written, unless a group sets its own: plain text
    /// by default, or problem details (RFC 9457).
    public var errorFormat: ErrorBodyFormat {
        get { root.errorFormat ?? .plainText }
        set { root.errorFormat = newValue }
    }

    /// An empty router: no routes, no middleware, trailing slashes redirected.
    public init() {}

    /// Registers `endpoint` for `method` and `pattern` (see ``RouteBuilder/add(_:_:_:)``).
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ endpoint: Endpoint) {
        root.add(method, pattern, endpoint)
    }

    /// Adds `middleware` to every route here and beneath.
    public mutating func add(middleware: some Middleware) {
        root.add(middleware: middleware)
    }

    /// Adds an awaiting `middleware` to every route here and beneath.
    public mutating func add(middleware: some AsyncMiddleware) {
        root.add(middleware: middleware)
    }

    /// Routes beneath `prefix`, built by `build` (see ``RouteBuilder/group(_:_:)``).
    public mutating func group(_ prefix: String, _ build: (inout RouteGroup) throws -> Void) rethrows {
        try root.group(prefix, build)
    }

    /// Problems found while registering (a malformed pattern or prefix); reported when the server starts.
    package var invalidPatterns: [String] { root.allInvalidPatterns }

    /// Every route with its full pattern and composed handler, the root's first, then each group's.
    package var routes: [Route] { frozen().routes }

    /// The immutable lookup structure the workers share.
    package func freeze() -> RouteTable {
        let frozen = frozen()
        return RouteTable(routes: frozen.routes, owners: frozen.owners, fallback: fallback,
                          trailingSlash: trailingSlash)
    }

    private func frozen() -> FrozenRoutes {
        var frozen = FrozenRoutes()
        frozen.add(root, prefix: [], middleware: [], coding: .default, errorFormat: .plainText)
        return frozen
    }
}
