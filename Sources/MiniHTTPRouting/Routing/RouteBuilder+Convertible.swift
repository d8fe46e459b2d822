import MiniHTTPCore

/// Registration methods for handlers that return a ``ResponseConvertible`` value (`String`, `Status`,
/// `[UInt8]`, an optional of one, your own types).
extension RouteBuilder {
    /// Registers `handler` for `method` requests whose path matches `pattern`; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func on<T: ResponseConvertible & SendableMetatype>(
        method: HTTPMethod, path pattern: String, _ handler: @escaping @Sendable (Request) throws -> T
    ) {
        add(method, pattern, Endpoint(.sync { coding in { request in try handler(request).response(to: request) } }))
    }

    /// Registers an `async` `handler` for `method` requests whose path matches `pattern`; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func on<T: ResponseConvertible & SendableMetatype>(
        method: HTTPMethod, path pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        add(method, pattern, Endpoint(.async { coding in { request in try await handler(request).response(to: request) } }))
    }

    /// Registers a `GET` route (which answers `HEAD` too); its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func get<T: ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .get, path: pattern, handler)
    }

    /// Registers an `async` `GET` route (which answers `HEAD` too); its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func get<T: ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .get, path: pattern, handler)
    }

    /// Registers a `HEAD` route, taking precedence over the `GET` route's automatic `HEAD`; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func head<T: ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .head, path: pattern, handler)
    }

    /// Registers an `async` `HEAD` route, taking precedence over the `GET` route's automatic `HEAD`; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func head<T: ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .head, path: pattern, handler)
    }

    /// Registers a `POST` route; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func post<T: ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .post, path: pattern, handler)
    }

    /// Registers an `async` `POST` route; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func post<T: ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .post, path: pattern, handler)
    }

    /// Registers a `PUT` route; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func put<T: ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .put, path: pattern, handler)
    }

    /// Registers an `async` `PUT` route; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func put<T: ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .put, path: pattern, handler)
    }

    /// Registers a `PATCH` route; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func patch<T: ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers an `async` `PATCH` route; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func patch<T: ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers a `DELETE` route; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func delete<T: ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .delete, path: pattern, handler)
    }

    /// Registers an `async` `DELETE` route; its result is converted with ``ResponseConvertible/response(to:)``.
    public mutating func delete<T: ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .delete, path: pattern, handler)
    }
}
