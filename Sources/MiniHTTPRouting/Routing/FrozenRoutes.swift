import MiniHTTPCore

/// The router's tree of groups flattened: each group becomes a ``RouteScope`` owning its prefix, each
/// route gets its full pattern and its handler composed with every middleware above it.
struct FrozenRoutes {
    var routes: [Router.Route] = []
    /// Each group's full prefix and scope, the root's (empty) first.
    var owners: [(prefix: [RoutePattern.Segment], scope: RouteScope)] = []

    mutating func add(
        _ group: RouteGroup, prefix outer: [RoutePattern.Segment], middleware outerMiddleware: [MiddlewareEntry],
        coding outerCoding: JSONCoding, errors outerFormat: ErrorBodyFormat
    ) {
        let prefix = outer + group.prefix
        let middleware = outerMiddleware + group.middleware
        let coding = group.json ?? outerCoding
        let format = group.errorFormat ?? outerFormat
        let scope = RouteScope(middleware: middleware, coding: coding, errors: format)
        owners.append((prefix, scope))
        for registration in group.registrations {
            var segments = registration.pattern.segments
            if !prefix.isEmpty, segments == [.literal([])] { segments = [] }  // "/" in a group: the prefix
            routes.append(Router.Route(
                method: registration.method, pattern: RoutePattern(segments: prefix + segments),
                handler: Self.compose(registration.endpoint, middleware, coding, format), scope: scope))
        }
        for child in group.children {
            add(child, prefix: prefix, middleware: middleware, coding: coding, errors: format)
        }
    }

    /// The endpoint's handler behind `middleware`: synchronous while every middleware is, else async.
    static func compose(
        _ endpoint: Endpoint, _ middleware: [MiddlewareEntry], _ coding: JSONCoding, _ format: ErrorBodyFormat
    ) -> Router.RouteHandler {
        switch endpoint.kind {
        case .sync(let make):
            let handler = make(coding)
            let syncOnly = middleware.compactMap(\.syncMiddleware)
            if syncOnly.count == middleware.count { return .sync(MiddlewareChain.sync(syncOnly, errors: format, handler)) }
            return .async(MiddlewareChain.async(middleware, errors: format) { request in try handler(request) })
        case .async(let make):
            return .async(MiddlewareChain.async(middleware, errors: format, make(coding)))
        case .streamed(let handler, let maxBytes):
            return .asyncStreamingBody(MiddlewareChain.async(middleware, errors: format, handler), maxBytes: maxBytes)
        }
    }
}
