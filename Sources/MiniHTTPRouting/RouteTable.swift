import MiniHTTPCore
import MiniHTTPPosix
/// A route's handler and parameter names. A class, so the handler is stored once at its own type: a
/// closure kept in a generic container (an array of tuples) would be re-thunked, and allocate, on every use.
package final class RouteEntry: Sendable {
    package let handler: Router.RouteHandler
    package let names: [String]

    package init(handler: Router.RouteHandler, names: [String]) {
        self.handler = handler
        self.names = names
    }
}

/// The routes frozen into an immutable trie of path segments, shared by all workers without locks.
/// Lookup walks the request's path bytes in place; it allocates only to capture parameters.
package final class RouteTable: Sendable {
    /// What a lookup found. The scope is whose middleware the server's own answer passes.
    package enum Match {
        case handler(Router.RouteHandler, Parameters)
        /// The path exists, but not for this method; the methods that do exist, for `Allow`.
        case methodNotAllowed([HTTPMethod], RouteScope)
        /// No route; the scope of the group owning the path (the root's when none does).
        case notFound(RouteScope)
        /// Only the path with its final `/` added or removed matches (``TrailingSlash/redirect``).
        case redirect(location: String, RouteScope)
    }

    package final class Node: Sendable {
        package let literals: [(segment: [UInt8], node: Node)]
        package let parameter: Node?
        package let wildcard: Node?
        /// Indexed by `HTTPMethod.rawValue`: the handler and the route's parameter names.
        package let handlers: [RouteEntry?]
        /// The scope of the first route registered here: what a 405 or `OPTIONS` passes.
        package let scope: RouteScope?
        /// The scope of the group whose prefix ends here: what a 404 beneath it passes.
        package let owner: RouteScope?

        package init(_ builder: Builder) {
            scope = builder.scope
            owner = builder.owner
            literals = builder.literals.map { ($0.segment, Node($0.node)) }
            parameter = builder.parameter.map(Node.init)
            wildcard = builder.wildcard.map(Node.init)
            handlers = builder.handlers
        }

        package var isTerminal: Bool { handlers.contains { $0 != nil } }
    }

    package final class Builder {
        package var literals: [(segment: [UInt8], node: Builder)] = []
        package var parameter: Builder?
        package var wildcard: Builder?
        package var handlers: [RouteEntry?] = Array(repeating: nil, count: HTTPMethod.allCases.count)
        package var scope: RouteScope?
        package var owner: RouteScope?

        package func child(for segment: RoutePattern.Segment) -> Builder {
            switch segment {
            case .literal(let bytes):
                if let existing = literals.first(where: { $0.segment == bytes }) { return existing.node }
                let node = Builder()
                literals.append((bytes, node))
                return node
            case .parameter:
                if let parameter { return parameter }
                let node = Builder()
                parameter = node
                return node
            case .wildcard:
                if let wildcard { return wildcard }
                let node = Builder()
                wildcard = node
                return node
            }
        }
    }

    package let root: Node
    package let fallback: (any Responder)?
    /// The router's own scope: `OPTIONS *`, `CONNECT`, and paths no group owns.
    package let rootScope: RouteScope
    package let trailingSlash: TrailingSlash
    /// Whether some route's pattern ends with `/`: only then is a path retried with one added.
    package let hasTrailingSlashRoutes: Bool
    /// The largest body a streaming-body route accepts; nil when no route streams its body.
    package let largestStreamedBody: Int?
    /// Every method some route (or the fallback) answers, in `HTTPMethod` order: `OPTIONS *`'s `Allow`.
    package let methods: [HTTPMethod]

    package init(
        routes: [Router.Route], owners: [(prefix: [RoutePattern.Segment], scope: RouteScope)] = [],
        fallback: (any Responder)?, trailingSlash: TrailingSlash = .redirect
    ) {
        let root = Builder()
        for route in routes {
            var node = root
            var names: [String] = []
            for segment in route.pattern.segments {
                node = node.child(for: segment)
                if case .parameter(let name) = segment { names.append(name) }
                if case .wildcard = segment { names.append("*") }
            }
            node.handlers[Int(route.method.rawValue)] = RouteEntry(handler: route.handler, names: names)
            if node.scope == nil { node.scope = route.scope }
        }
        for owner in owners {  // the first group registered with a prefix owns it
            var node = root
            for segment in owner.prefix { node = node.child(for: segment) }
            if node.owner == nil { node.owner = owner.scope }
        }
        self.root = Node(root)
        self.rootScope = owners.first?.scope ?? RouteScope(middleware: [], coding: .default)
        self.fallback = fallback
        self.trailingSlash = trailingSlash
        hasTrailingSlashRoutes = routes.contains { route in
            route.pattern.segments.count > 1 && route.pattern.segments.last == .literal([])
        }
        var methods = Set(routes.map(\.method))
        if methods.contains(.get) || fallback != nil { methods.formUnion([.get, .head]) }
        methods.insert(.options)
        self.methods = HTTPMethod.allCases.filter(methods.contains)
        largestStreamedBody = routes.compactMap { route -> Int? in
            if case .asyncStreamingBody(_, let maxBytes) = route.handler { return maxBytes }
            return nil
        }.max()
    }

    /// The fallback's answer to `request`; nil without a fallback. Asked here, where the responder is
    /// stored, so that it is called in place rather than copied out of the table for each request.
    package func fallbackAnswer(to request: Request) throws -> Response? {
        try fallback?.respond(to: request)
    }

    /// Finds the handler for `method` and the path `bytes[path]` (which starts with `/`); `query` (the
    /// range of the query in `bytes`) is kept by a trailing-slash redirect.
    package func match(_ method: HTTPMethod, path: Range<Int>, in bytes: [UInt8], query: Range<Int>? = nil) -> Match {
        guard !path.isEmpty, bytes[path.lowerBound] == ASCII.slash else { return .notFound(rootScope) }
        // No closure here (withUnsafeBytes): its captured variables would cost an allocation per request.
        var captures: [Range<Int>] = []
        guard let node = resolve(root, bytes, segmentStart: path.lowerBound + 1, pathEnd: path.upperBound, &captures)
        else { return miss(method, path: path, in: bytes, query: query) }
        return found(node, method, captures, bytes, path: path)
    }

    /// The route at `node` for `method`, or 405 in the scope owning the path (a group owns its prefix,
    /// whichever group registered the other methods there).
    private func found(
        _ node: Node, _ method: HTTPMethod, _ captures: [Range<Int>], _ bytes: [UInt8], path: Range<Int>
    ) -> Match {
        var entry = node.handlers[Int(method.rawValue)]
        if entry == nil, method == .head { entry = node.handlers[Int(HTTPMethod.get.rawValue)] }
        guard let entry else { return .methodNotAllowed(allowedMethods(node), owner(of: path, in: bytes)) }
        return .handler(entry.handler, Parameters(names: entry.names, values: captures, bytes: bytes))
    }

    /// Nothing matched as sent: the trailing-slash rule, else 404 in the scope owning the path. Allocates
    /// only to try a path with a `/` added, and only when some route ends with one.
    private func miss(_ method: HTTPMethod, path: Range<Int>, in bytes: [UInt8], query: Range<Int>?) -> Match {
        if trailingSlash != .strict, path.count > 1 {
            if bytes[path.upperBound - 1] == ASCII.slash {
                let match = retry(method, path.dropLast(), in: bytes, query: query.map { bytes[$0] })
                if let match { return match }
            } else if hasTrailingSlashRoutes {
                let longer = Array(bytes[path]) + [ASCII.slash]
                if let match = retry(method, 0..<longer.count, in: longer, query: query.map { bytes[$0] }) {
                    return match
                }
            }
        }
        return .notFound(owner(of: path, in: bytes))
    }

    /// The match for the other form of the path, `bytes[path]`, as the trailing-slash policy answers it.
    private func retry(
        _ method: HTTPMethod, _ path: Range<Int>, in bytes: [UInt8], query: ArraySlice<UInt8>?
    ) -> Match? {
        // "//host" as a Location would leave the site (a scheme-relative reference), and browsers read
        // "/\host" as "//host".
        guard path.count > 1, bytes[path.lowerBound + 1] != ASCII.slash, bytes[path.lowerBound + 1] != ASCII.backslash
        else { return nil }
        var captures: [Range<Int>] = []
        guard let node = resolve(root, bytes, segmentStart: path.lowerBound + 1, pathEnd: path.upperBound, &captures)
        else { return nil }
        if trailingSlash == .match { return found(node, method, captures, bytes, path: path) }
        var location = Array(bytes[path])
        if let query { location += [ASCII.questionMark] + query }
        return .redirect(location: String(decoding: location, as: UTF8.self), owner(of: path, in: bytes))
    }

    /// The scope of the group with the longest prefix that `bytes[path]` lies beneath.
    private func owner(of path: Range<Int>, in bytes: [UInt8]) -> RouteScope {
        var node = root
        var owner = root.owner ?? rootScope
        var start = path.lowerBound + 1
        while start <= path.upperBound {
            var end = start
            while end < path.upperBound, bytes[end] != ASCII.slash { end += 1 }
            let segment = start..<end
            // The length first: most literals differ in it, and a byte-wise comparison costs more.
            if let literal = node.literals.first(where: {
                $0.segment.count == segment.count && $0.segment.elementsEqual(bytes[segment])
            }) {
                node = literal.node
            } else if let parameter = node.parameter, !segment.isEmpty {
                node = parameter
            } else {
                break
            }
            if let scope = node.owner { owner = scope }
            start = end + 1
        }
        return owner
    }

    private func allowedMethods(_ node: Node) -> [HTTPMethod] {
        var methods = HTTPMethod.allCases.filter { node.handlers[Int($0.rawValue)] != nil }
        if methods.contains(.get), !methods.contains(.head) { methods.insert(.head, at: 1) }
        return methods
    }

    /// Depth-first over the segments: literal children first, then the parameter, then the wildcard.
    private func resolve(
        _ node: Node, _ bytes: [UInt8], segmentStart: Int?, pathEnd: Int, _ captures: inout [Range<Int>]
    ) -> Node? {
        guard let start = segmentStart else {
            if node.isTerminal { return node }
            if let wildcard = node.wildcard, wildcard.isTerminal {
                captures.append(pathEnd..<pathEnd)
                return wildcard
            }
            return nil
        }
        var end = start
        while end < pathEnd, bytes[end] != ASCII.slash { end += 1 }
        let next: Int? = end < pathEnd ? end + 1 : nil
        let segment = start..<end
        for literal in node.literals where literal.segment.count == segment.count
            && literal.segment.elementsEqual(bytes[segment]) {
            if let found = resolve(literal.node, bytes, segmentStart: next, pathEnd: pathEnd, &captures) {
                return found
            }
        }
        if let parameter = node.parameter, !segment.isEmpty {
            captures.append(segment)
            if let found = resolve(parameter, bytes, segmentStart: next, pathEnd: pathEnd, &captures) {
                return found
            }
            captures.removeLast()
        }
        if let wildcard = node.wildcard, wildcard.isTerminal {
            captures.append(start..<pathEnd)
            return wildcard
        }
        return nil
    }
}
