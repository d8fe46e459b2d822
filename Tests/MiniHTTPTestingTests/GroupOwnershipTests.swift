import MiniHTTP
import MiniHTTPTesting
import Testing

/// A group owns its prefix: the server's own answers for a path beneath it (405, OPTIONS, trailing-slash
/// redirects) pass its middleware, whichever group registered the routes at that path.
@Suite("Group ownership of the server's answers")
struct GroupOwnershipTests {
    static func router() throws -> Router {
        var router = Router()
        router.get("/api/v1/todos") { _ in "root's GET" }
        let cors = try CORS(allowOrigins: .list(["https://app.example"]))
        router.group("/api/v1") { api in
            api.add(middleware: cors)
            api.post("/todos") { _ in "group's POST" }
            api.get("/items/") { _ in "items" }
        }
        return router
    }

    @Test("a preflight, a 405 and a redirect beneath the group carry its CORS fields")
    func answersBeneathTheGroup() async throws {
        try await TestClient.inProcess(router: try Self.router()) { client in
            let origin: TestRequestHeaders = ["Origin": "https://app.example", "Access-Control-Request-Method": "POST"]
            let preflight = try await client.options("/api/v1/todos", headers: origin)
            #expect(preflight.status == .noContent)
            #expect(preflight.headers["Access-Control-Allow-Origin"] == "https://app.example")
            let refused = try await client.delete("/api/v1/todos", headers: ["Origin": "https://app.example"])
            #expect(refused.status == .methodNotAllowed)
            #expect(refused.headers["Access-Control-Allow-Origin"] == "https://app.example")
            let redirect = try await client.get("/api/v1/items", headers: ["Origin": "https://app.example"])
            #expect(redirect.status.code == 308)
            #expect(redirect.headers["Access-Control-Allow-Origin"] == "https://app.example")
        }
    }

    @Test("a trailing-slash redirect never points off the site: /\\\\host is not redirected")
    func noRedirectOffSite() async throws {
        var router = Router()
        router.get("/:slug") { request in request.parameters["slug"] ?? "-" }
        try await TestClient.inProcess(router: router) { client in
            let responses = try await client.send(raw: Array("GET /\\evil.com/ HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(responses.first?.status == .notFound)
            #expect(responses.first?.headers["Location"] == nil)
        }
    }
}

/// Each middleware's `finish` sees the request as its own `handle` left it, on sync and async routes alike.
@Suite("Middleware sees the same request on sync and async routes")
struct MiddlewareViewTests {
    enum Tag: RequestStorageKey { typealias Value = String }

    struct Outer: Middleware {
        func finish(_ response: inout Response, for request: Request) {
            response.headers["X-Outer-Sees"] = request.storage[Tag.self] ?? "nothing"
        }
    }

    struct Inner: Middleware {
        func handle(_ request: inout Request) throws -> Response? {
            request.storage[Tag.self] = "inner"
            return nil
        }
        func finish(_ response: inout Response, for request: Request) {
            response.headers["X-Inner-Sees"] = request.storage[Tag.self] ?? "nothing"
        }
    }

    @Test("the outer finish sees nothing of the inner handle's storage; the inner finish sees its own")
    func consistentViews() async throws {
        var router = Router()
        router.add(middleware: Outer())
        router.add(middleware: Inner())
        router.get("/sync") { request in request.storage[Tag.self] ?? "-" }
        router.get("/async") { request async in request.storage[Tag.self] ?? "-" }
        try await TestClient.inProcess(router: router) { client in
            for path in ["/sync", "/async"] {
                let response = try await client.get(path)
                #expect(response.text == "inner")
                #expect(response.headers["X-Inner-Sees"] == "inner")
                #expect(response.headers["X-Outer-Sees"] == "nothing", "\(path)")
            }
        }
    }
}

/// Beneath a group writing problem details, the fallback's plain 404 becomes the group's; a 404 the fallback
/// gave a reason of its own is its deliberate answer and goes out as it is.
@Suite("A fallback's 404 beneath a problem-details group")
struct FallbackNotFoundFormatTests {
    struct Fallback: Responder {
        func respond(to request: Request) throws -> Response {
            request.path.hasSuffix("/own")
                ? .text("custom reason 404\n", status: Status(code: 404, reason: "Nope"))
                : .text("plain 404\n", status: .notFound)
        }
    }

    @Test("the standard 404 is rewritten as problem details; one with its own reason is kept")
    func standardAndOwnReason() async throws {
        var router = Router()
        router.fallback = Fallback()
        router.group("/pd") { group in
            group.errorFormat = .problemDetails
            group.get("/exists") { _ in "here" }
        }
        try await TestClient.inProcess(router: router) { client in
            let standard = try await client.get("/pd/missing")
            #expect(standard.status == .notFound)
            #expect(standard.headers["Content-Type"] == "application/problem+json")
            let own = try await client.get("/pd/own")
            #expect(own.status.code == 404)
            #expect(own.status.reason == "Nope")
            #expect(own.text == "custom reason 404\n")
            let outside = try await client.get("/missing")
            #expect(outside.text == "plain 404\n")
        }
    }
}

/// A fallback set in code answers what the public folder does not have; it never hides a file.
@Suite("Static files before the code's fallback")
struct StaticFirstTests {
    struct NotFoundPage: Responder {
        func respond(to request: Request) throws -> Response {
            .html("<h1>Nothing at \(request.path)</h1>", status: .notFound)
        }
    }

    @Test("a file is served; a missing path gets the custom page")
    func staticFirst() async throws {
        var router = Router()
        router.fallback = NotFoundPage()
        var configuration = TestClient.defaultConfiguration
        configuration.publicDirectory = String(#filePath).components(separatedBy: "/Tests/").first.map { $0 + "/Examples/Todo/Public" }
        try await TestClient.inProcess(router: router, configuration: configuration) { client in
            let script = try await client.get("/app.js")
            #expect(script.status == .ok)
            #expect(script.text.contains("refresh"))
            let missing = try await client.get("/nope")
            #expect(missing.status == .notFound)
            #expect(missing.text == "<h1>Nothing at /nope</h1>")
        }
    }
}
