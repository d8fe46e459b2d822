/// Names a value that middleware learns about a request and leaves for the handler, with its type:
///
/// ```swift
/// enum CurrentUser: RequestStorageKey { typealias Value = User }
///
/// struct Authenticate: Middleware {
///     func handle(_ request: inout Request) throws -> Response? {
///         guard let user = users.find(token: request.headers["Authorization"]) else {
///             throw HTTPError(.unauthorized)
///         }
///         request.storage[CurrentUser.self] = user
///         return nil
///     }
/// }
/// router.get("/me") { request in request.storage[CurrentUser.self]?.name ?? "-" }
/// ```
///
/// The key is a type, so two libraries cannot collide on a string, and the value comes back typed.
public protocol RequestStorageKey {
    /// The type of the value stored under this key.
    associatedtype Value: Sendable
}

/// Values that middleware stores on a request for the handler, each under a ``RequestStorageKey``.
/// Empty, it costs nothing (no allocation); it lives as long as the request.
public struct RequestStorage: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    public init() {}

    /// The value stored under `key`, or nil; assigning nil removes it.
    public subscript<Key: RequestStorageKey>(_ key: Key.Type) -> Key.Value? {
        get { values[ObjectIdentifier(key)] as? Key.Value }
        set { values[ObjectIdentifier(key)] = newValue }
    }

    /// Whether a value is stored under `key`.
    public func contains<Key: RequestStorageKey>(_ key: Key.Type) -> Bool {
        values[ObjectIdentifier(key)] != nil
    }

    /// The number of values stored.
    public var count: Int { values.count }
}
