import MiniHTTPCore

/// The registration methods for handlers that return a ``Response``, on the router and on groups.
extension RouteBuilder {
    /// Registers `handler` for `method` requests whose path matches `pattern`. A later registration of
    /// the same method and pattern replaces the earlier one.
    public mutating func on(method: HTTPMethod, path pattern: String, _ handler: @escaping Handler) {
        add(method, pattern, .sync(handler))
    }

    /// Registers an `async` handler for `method` requests whose path matches `pattern`: the worker parks
    /// the connection while it runs and writes its response, in order, when it returns (see
    /// ``AsyncHandler``). Choose it for handlers that await a database or another service; a handler that
    /// only computes its answer is cheaper synchronous.
    public mutating func on(method: HTTPMethod, path pattern: String, _ handler: @escaping AsyncHandler) {
        add(method, pattern, .async(handler))
    }

    /// Registers an `async` handler that takes its request body as `body` says: with
    /// ``RequestBodyHandling/streamed(maxBytes:)`` the handler starts as soon as the head has arrived and
    /// reads the body from ``Request/bodyStream`` as it comes — an upload larger than `maxBodyBytes`.
    public mutating func on(
        method: HTTPMethod, path pattern: String, body: RequestBodyHandling, _ handler: @escaping AsyncHandler
    ) {
        switch body {
        case .buffered: add(method, pattern, .async(handler))
        case .streamed(let maxBytes): add(method, pattern, Endpoint(.streamed(handler, maxBytes: max(0, maxBytes))))
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
}
