import Testing
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

@Suite("Route groups")
struct RouteGroupTests {
    static func makeRouter(trace: Trace) -> Router {
        var router = Router()
        router.get("/") { _ in "root" }
        router.group("/api/v1") { api in
            api.add(middleware: Recording(name: "api", trace: trace))
            api.get("/") { _ in "api index" }
            api.get("/todos/:id") { request in "todo \(request.parameters["id"] ?? "?")" }
            api.group("/admin") { admin in
                admin.add(middleware: Recording(name: "admin", trace: trace))
                admin.get("/stats") { _ in "stats" }
            }
        }
        router.group("/users/:user") { user in
            user.get("/files/*") { request in "\(request.parameters["user"] ?? "?") \(request.parameters["*"] ?? "?")" }
        }
        return router
    }

    @Test("routes are registered beneath the group's prefix, nested groups beneath both", arguments: [
        ("/", "root"),
        ("/api/v1", "api index"),
        ("/api/v1/todos/7", "todo 7"),
        ("/api/v1/admin/stats", "stats"),
        ("/users/ada/files/a/b.txt", "ada a/b.txt"),
        ("/todos/7", "Not Found\n"),
        ("/admin/stats", "Not Found\n"),
    ])
    func prefixes(_ path: String, _ expected: String) async {
        let router = Self.makeRouter(trace: Trace())
        #expect(await RouteRunner.respond(router, path).bodyText == expected)
    }

    @Test("a group's middleware runs for its routes and nested groups only")
    func groupMiddleware() async {
        let trace = Trace()
        let table = Self.makeRouter(trace: trace).freeze()
        _ = await RouteRunner.respond(table, .get, "/")
        #expect(trace.all.isEmpty)
        _ = await RouteRunner.respond(table, .get, "/api/v1/admin/stats")
        #expect(trace.all == ["api.handle", "admin.handle", "admin.finish 200", "api.finish 200"])
    }

    @Test("a 404 beneath a group passes the group's middleware; one outside it does not")
    func groupOwnsItsPrefix() async {
        let trace = Trace()
        let table = Self.makeRouter(trace: trace).freeze()
        let outside = await RouteRunner.respond(table, .get, "/nowhere")
        #expect(outside.status == .notFound)
        #expect(trace.all.isEmpty)
        let inside = await RouteRunner.respond(table, .get, "/api/v1/admin/nothing")
        #expect(inside.status == .notFound)
        #expect(trace.all == ["api.handle", "admin.handle", "admin.finish 404", "api.finish 404"])
        #expect(inside.values("X-Seen-By") == ["admin", "api"])
    }

    @Test("a 405 passes the middleware of the route's group")
    func methodNotAllowedScope() async {
        let trace = Trace()
        let response = await RouteRunner.respond(Self.makeRouter(trace: trace), .delete, "/api/v1/todos/3")
        #expect(response.status == .methodNotAllowed)
        #expect(trace.all == ["api.handle", "api.finish 405"])
    }

    @Test("a malformed prefix is reported like a malformed pattern")
    func invalidPrefix() {
        var router = Router()
        router.group("api") { $0.get("/x") { _ in "x" } }
        router.group("/a/*") { $0.get("/x") { _ in "x" } }
        router.group("/ok") { $0.get("bad") { _ in "x" } }
        #expect(router.invalidPatterns == ["api", "/a/*", "bad"])
        #expect(router.routes.isEmpty)
    }
}

@Suite("Trailing slash")
struct TrailingSlashTests {
    static func makeRouter(_ policy: TrailingSlash) -> Router {
        var router = Router()
        router.trailingSlash = policy
        router.get("/todos") { _ in "todos" }
        router.get("/docs/") { _ in "docs" }
        router.get("/") { _ in "root" }
        return router
    }

    @Test("redirect (the default): 308 to the registered form, the query kept", arguments: [
        ("/todos/", "/todos"),
        ("/todos/?limit=2&offset=4", "/todos?limit=2&offset=4"),
        ("/docs", "/docs/"),
        ("/docs?x=1", "/docs/?x=1"),
    ])
    func redirect(_ target: String, _ location: String) async {
        #expect(Router().trailingSlash == .redirect)
        let response = await RouteRunner.respond(Self.makeRouter(.redirect), target)
        #expect(response.status == .permanentRedirect)
        #expect(response.values("Location") == [location])
    }

    @Test("match: both forms answer", arguments: ["/todos/", "/docs"])
    func match(_ target: String) async {
        let response = await RouteRunner.respond(Self.makeRouter(.match), target)
        #expect(response.status == .ok)
        #expect(["todos", "docs"].contains(response.bodyText))
    }

    @Test("strict: only the registered form", arguments: ["/todos/", "/docs"])
    func strict(_ target: String) async {
        #expect(await RouteRunner.respond(Self.makeRouter(.strict), target).status == .notFound)
    }

    @Test("a path that matches as sent is not redirected; nothing leaves the site", arguments: [
        ("/todos", 200), ("/", 200), ("/nothing/", 404), ("//todos/", 404),
    ])
    func unaffected(_ target: String, _ status: Int) async {
        #expect(await RouteRunner.respond(Self.makeRouter(.redirect), target).status.code == status)
    }
}
