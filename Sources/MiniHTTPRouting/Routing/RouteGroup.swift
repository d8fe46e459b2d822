import MiniHTTPCore

/// Routes beneath a common prefix, with their own middleware and JSON coding; made by
/// ``RouteBuilder/group(_:_:)``, and nestable.
public struct RouteGroup: RouteBuilder, Sendable {
    /// A route as registered, its pattern relative to the group's prefix.
    package struct Registration: Sendable {
        package let method: HTTPMethod
        package let pattern: RoutePattern
        package let endpoint: Endpoint
    }

    /// The JSON coding of the group's `Encodable` results; nil inherits the enclosing group's (or the
    /// router's).
    public var json: JSONCoding?
    /// How the group's error answers are written; nil inherits the enclosing group's (or the router's).
    public var errorFormat: ErrorBodyFormat?

    package let prefix: [RoutePattern.Segment]
    package private(set) var middleware: [MiddlewareEntry] = []
    package private(set) var registrations: [Registration] = []
    package private(set) var children: [RouteGroup] = []
    /// Malformed patterns and prefixes, reported when the server starts.
    package private(set) var invalidPatterns: [String] = []

    package init(prefix: [RoutePattern.Segment]) {
        self.prefix = prefix
    }

    /// Registers `endpoint` for `method` and `pattern` (see ``RouteBuilder/add(_:_:_:)``).
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ endpoint: Endpoint) {
        guard let parsed = RoutePattern(pattern.isEmpty ? "/" : pattern) else {
            invalidPatterns.append(pattern)
            return
        }
        registrations.removeAll { $0.method == method && $0.pattern == parsed }
        registrations.append(Registration(method: method, pattern: parsed, endpoint: endpoint))
    }

    /// Adds `middleware` to every route here and beneath.
    public mutating func add(middleware: some Middleware) {
        self.middleware.append(.sync(middleware))
    }

    /// Adds an awaiting `middleware` to every route here and beneath.
    public mutating func add(middleware: some AsyncMiddleware) {
        self.middleware.append(.async(middleware))
    }

    /// Routes beneath `prefix`, built by `build` (see ``RouteBuilder/group(_:_:)``).
    public mutating func group(_ prefix: String, _ build: (inout RouteGroup) throws -> Void) rethrows {
        guard let parsed = RoutePattern(prefix.isEmpty ? "/" : prefix), !parsed.segments.contains(.wildcard) else {
            invalidPatterns.append(prefix)
            return
        }
        var segments = parsed.segments
        if segments.last == .literal([]) { segments.removeLast() }  // "/api/" is "/api"; "/" is no prefix
        var child = RouteGroup(prefix: segments)
        try build(&child)
        children.append(child)
    }

    /// The invalid patterns of this group and of the groups within it.
    package var allInvalidPatterns: [String] {
        invalidPatterns + children.flatMap(\.allInvalidPatterns)
    }
}
