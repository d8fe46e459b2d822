import MiniHTTPCore

/// The tie-breaker for results that are both `Encodable` and ``ResponseConvertible``: without these
/// overloads `{ _ in "hello" }` would be ambiguous between the two.
extension RouteBuilder {
    /// Registers `handler` for `method` requests whose path matches `pattern`; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func on<T: Encodable & ResponseConvertible & SendableMetatype>(
        method: HTTPMethod, path pattern: String, _ handler: @escaping @Sendable (Request) throws -> T
    ) {
        add(method, pattern, Endpoint(.sync { coding in { request in try handler(request).response(to: request) } }))
    }

    /// Registers an `async` `handler` for `method` requests whose path matches `pattern`; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func on<T: Encodable & ResponseConvertible & SendableMetatype>(
        method: HTTPMethod, path pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        add(method, pattern, Endpoint(.async { coding in { request in try await handler(request).response(to: request) } }))
    }

    /// Registers a `GET` route (which answers `HEAD` too); the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func get<T: Encodable & ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .get, path: pattern, handler)
    }

    /// Registers an `async` `GET` route (which answers `HEAD` too); the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func get<T: Encodable & ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .get, path: pattern, handler)
    }

    /// Registers a `HEAD` route, taking precedence over the `GET` route's automatic `HEAD`; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func head<T: Encodable & ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .head, path: pattern, handler)
    }

    /// Registers an `async` `HEAD` route, taking precedence over the `GET` route's automatic `HEAD`; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func head<T: Encodable & ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .head, path: pattern, handler)
    }

    /// Registers a `POST` route; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func post<T: Encodable & ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .post, path: pattern, handler)
    }

    /// Registers an `async` `POST` route; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func post<T: Encodable & ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .post, path: pattern, handler)
    }

    /// Registers a `PUT` route; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func put<T: Encodable & ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .put, path: pattern, handler)
    }

    /// Registers an `async` `PUT` route; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func put<T: Encodable & ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .put, path: pattern, handler)
    }

    /// Registers a `PATCH` route; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func patch<T: Encodable & ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers an `async` `PATCH` route; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func patch<T: Encodable & ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers a `DELETE` route; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func delete<T: Encodable & ResponseConvertible & SendableMetatype>(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> T) {
        on(method: .delete, path: pattern, handler)
    }

    /// Registers an `async` `DELETE` route; the value is both `Encodable` and ``ResponseConvertible`` (a `String`, `[UInt8]`): its own conversion wins, a `String` is text, not a JSON string.
    public mutating func delete<T: Encodable & ResponseConvertible & SendableMetatype>(
        _ pattern: String, _ handler: @escaping @Sendable (Request) async throws -> T
    ) {
        on(method: .delete, path: pattern, handler)
    }
}
