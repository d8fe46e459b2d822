import MiniHTTPCore

/// Registration methods for handlers that return an `Encodable` model: sent as JSON, encoded with the
/// route's ``JSONCoding`` (the group's, else the router's).
extension RouteBuilder {
    /// Registers `handler` for `method` requests whose path matches `pattern`; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func on<T: Encodable & SendableMetatype>(
        method: HTTPMethod, path pattern: String, _ handler: @escaping @Sendable (Request) throws -> T
    ) {
        add(method, pattern, Endpoint(.sync { coding in { request in try Response.encoded(handler(request), with: coding) } }))
    }

    /// Registers an `async` `handler` for `method` requests whose path matches `pattern`; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func on<T: Encodable & SendableMetatype>(
        method: HTTPMethod, path pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        add(method, pattern, Endpoint(.async { coding in { request in try await Response.encoded(handler(request), with: coding) } }))
    }

    /// Registers a `GET` route (which answers `HEAD` too); its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func get<T: Encodable & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .get, path: pattern, handler)
    }

    /// Registers an `async` `GET` route (which answers `HEAD` too); its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func get<T: Encodable & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .get, path: pattern, handler)
    }

    /// Registers a `HEAD` route, taking precedence over the `GET` route's automatic `HEAD`; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func head<T: Encodable & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .head, path: pattern, handler)
    }

    /// Registers an `async` `HEAD` route, taking precedence over the `GET` route's automatic `HEAD`; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func head<T: Encodable & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .head, path: pattern, handler)
    }

    /// Registers a `POST` route; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func post<T: Encodable & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .post, path: pattern, handler)
    }

    /// Registers an `async` `POST` route; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func post<T: Encodable & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .post, path: pattern, handler)
    }

    /// Registers a `PUT` route; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func put<T: Encodable & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .put, path: pattern, handler)
    }

    /// Registers an `async` `PUT` route; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func put<T: Encodable & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .put, path: pattern, handler)
    }

    /// Registers a `PATCH` route; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func patch<T: Encodable & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers an `async` `PATCH` route; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func patch<T: Encodable & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers a `DELETE` route; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func delete<T: Encodable & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .delete, path: pattern, handler)
    }

    /// Registers an `async` `DELETE` route; its result is sent as JSON with the scope's ``JSONCoding`` (`application/json`).
    public mutating func delete<T: Encodable & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .delete, path: pattern, handler)
    }
}
