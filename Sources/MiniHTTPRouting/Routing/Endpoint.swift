import MiniHTTPCore

/// A registered handler, as the `get`/`post`/… methods of ``RouteBuilder`` make it (no public
/// initializer): synchronous, async, or async with a streamed body.
public struct Endpoint: Sendable {
    /// Made with the JSON coding of the route's scope once the router is frozen (the group's settings
    /// may still change after the route is registered).
    package enum Kind: Sendable {
        case sync(@Sendable (JSONCoding) -> Handler)
        case async(@Sendable (JSONCoding) -> AsyncHandler)
        case streamed(AsyncHandler, maxBytes: Int)
    }

    package let kind: Kind

    package init(_ kind: Kind) { self.kind = kind }

    package static func sync(_ handler: @escaping Handler) -> Endpoint { Endpoint(.sync { _ in handler }) }

    package static func async(_ handler: @escaping AsyncHandler) -> Endpoint { Endpoint(.async { _ in handler }) }
}

/// A synchronous handler that returns a ``ResponseConvertible`` or `Encodable` value.
public typealias ResultHandler<T> = @Sendable (Request) throws -> T

/// An `async` handler that returns a ``ResponseConvertible`` or `Encodable` value.
public typealias AsyncResultHandler<T> = @Sendable (Request) async throws -> T
