import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Router")
struct RouterTests {
    /// A router whose handlers answer with their own name, so a test can see which one matched.
    static func makeTable() -> RouteTable {
        var router = Router()
        router.get("/") { _ in .text("root") }
        router.get("/users") { _ in .text("users") }
        router.get("/users/me") { _ in .text("me") }
        router.get("/users/:id") { request in .text("user \(request.parameters["id"] ?? "?")") }
        router.post("/users/:id") { _ in .text("update") }
        router.get("/users/:id/files/:name") { request in
            .text("file \(request.parameters["id"] ?? "?") \(request.parameters["name"] ?? "?")")
        }
        router.get("/static/*") { request in .text("rest \(request.parameters["*"] ?? "?")") }
        router.delete("/only-delete") { _ in .text("deleted") }
        return router.freeze()
    }

    let table = makeTable()

    func answer(_ method: HTTPMethod, _ path: String) -> String {
        let bytes = Array(path.utf8)
        switch table.match(method, path: 0..<bytes.count, in: bytes) {
        case .handler(.sync(let handler), let parameters):
            var request = TestRequests.make(method: method, target: path)
            request.parameters = parameters
            guard case .string(let text) = handler(&request).body.storage else {
                return "?"
            }
            return text
        case .handler(.async, _), .handler(.asyncStreamingBody, _):
            return "async"
        case .methodNotAllowed(let allowed, _):
            return "405 " + allowed.map(\.description).joined(separator: ",")
        case .notFound:
            return "404"
        case .redirect(let location, _):
            return "308 " + location
        }
    }

    @Test("literal, parameter and wildcard routes", arguments: [
        ("/", "root"),
        ("/users", "users"),
        ("/users/me", "me"),
        ("/users/42", "user 42"),
        ("/users/a%20b", "user a b"),
        ("/users/7/files/report.pdf", "file 7 report.pdf"),
        ("/static/css/site.css", "rest css/site.css"),
        ("/static/", "rest "),
        ("/nowhere", "404"),
        ("/users/", "308 /users"),
        ("/users/42/other", "404"),
    ])
    func routes(_ path: String, _ expected: String) {
        #expect(answer(.get, path) == expected)
    }

    @Test("a literal segment wins over a parameter")
    func literalWins() {
        #expect(answer(.get, "/users/me") == "me")
    }

    @Test("a GET route answers HEAD too")
    func headFromGet() {
        #expect(answer(.head, "/users/42") == "user 42")
    }

    @Test("a known path with another method is 405 with the allowed methods")
    func methodNotAllowed() {
        #expect(answer(.put, "/users/42") == "405 GET,HEAD,POST")
        #expect(answer(.get, "/only-delete") == "405 DELETE")
    }

    @Test("malformed patterns are reported, not registered")
    func invalidPatterns() {
        var router = Router()
        router.get("no-slash") { _ in .text("") }
        router.get("/a/*/b") { _ in .text("") }
        router.get("/a/:") { _ in .text("") }
        #expect(router.invalidPatterns == ["no-slash", "/a/*/b", "/a/:"])
        #expect(router.routes.isEmpty)
    }

    @Test("registering the same method and pattern again replaces the handler")
    func replaces() {
        var router = Router()
        router.get("/x") { _ in .text("first") }
        router.get("/x") { _ in .text("second") }
        #expect(router.routes.count == 1)
    }
}
