import MiniHTTPCore

/// What routes and middleware are registered on: ``Router`` and ``RouteGroup`` share every `get`, `post`,
/// … overload through this protocol.
public protocol RouteBuilder {
    /// Registers `endpoint` for `method` requests whose path matches `pattern` (beneath the group's
    /// prefix). A later registration of the same method and pattern replaces the earlier one.
    mutating func add(_ method: HTTPMethod, _ pattern: String, _ endpoint: Endpoint)

    /// Adds `middleware` to every route of this router or group (those registered before it too, and
    /// those of nested groups), and to the server's answers for the paths it owns.
    mutating func add(middleware: some Middleware)

    /// Adds an awaiting `middleware` to every route of this router or group (see ``AsyncMiddleware``).
    mutating func add(middleware: some AsyncMiddleware)

    /// Routes beneath `prefix` (`/api/v1`; may hold `:name` segments), with their own middleware and
    /// settings, built by `build`:
    ///
    /// ```swift
    /// router.group("/api/v1") { api in
    ///     api.add(middleware: RequestID())
    ///     api.get("/todos") { _ in "[]" }   // GET /api/v1/todos
    /// }
    /// ```
    ///
    /// The group owns its prefix: a path beneath it that matches no route is answered 404 through the
    /// group's middleware. A route pattern `/` in a group is the prefix itself.
    mutating func group(_ prefix: String, _ build: (inout RouteGroup) throws -> Void) rethrows
}
