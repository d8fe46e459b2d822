import Testing
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

@Suite("CORS")
struct CORSTests {
    static let app = "https://app.example"

    static func makeRouter(_ cors: CORS) -> Router {
        var router = Router()
        router.add(middleware: cors)
        router.get("/todos") { _ in "todos" }
        router.post("/todos") { _ in "created" }
        return router
    }

    static func preflight(origin: String) -> [String] {
        ["Origin: \(origin)", "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: content-type"]
    }

    @Test("a preflight from a listed origin is answered 204 with what it may do; the handler does not run")
    func preflightAllowed() async throws {
        let cors = try CORS(allowOrigins: .list([Self.app]), exposeHeaders: ["X-Total-Count"], allowCredentials: true,
                            maxAgeSeconds: 300)
        let response = await RouteRunner.respond(Self.makeRouter(cors), .options, "/todos",
                                                  fields: Self.preflight(origin: Self.app))
        #expect(response.status == .noContent)
        #expect(response.values("Access-Control-Allow-Origin") == [Self.app])
        #expect(response.values("Access-Control-Allow-Methods") == ["GET, HEAD, POST, PUT, PATCH, DELETE"])
        #expect(response.values("Access-Control-Allow-Headers") == ["Content-Type, Authorization"])
        #expect(response.values("Access-Control-Max-Age") == ["300"])
        #expect(response.values("Access-Control-Allow-Credentials") == ["true"])
        #expect(response.values("Vary") == ["Origin"])
        #expect(response.values("Access-Control-Expose-Headers").isEmpty)  // not part of a preflight
    }

    @Test("an actual request from a listed origin gets allow-origin, credentials, exposed headers and Vary")
    func actualAllowed() async throws {
        let cors = try CORS(allowOrigins: .list(["https://other.example", Self.app]),
                            exposeHeaders: ["X-Total-Count"], allowCredentials: true)
        let response = await RouteRunner.respond(Self.makeRouter(cors), .get, "/todos", fields: ["Origin: \(Self.app)"])
        #expect(response.bodyText == "todos")
        #expect(response.values("Access-Control-Allow-Origin") == [Self.app])
        #expect(response.values("Access-Control-Allow-Credentials") == ["true"])
        #expect(response.values("Access-Control-Expose-Headers") == ["X-Total-Count"])
        #expect(response.values("Vary") == ["Origin"])
    }

    @Test("a disallowed origin passes through without CORS fields, its preflight included", arguments: [
        HTTPMethod.get, .options,
    ])
    func disallowed(_ method: HTTPMethod) async throws {
        let cors = try CORS(allowOrigins: .list([Self.app]))
        let response = await RouteRunner.respond(Self.makeRouter(cors), method, "/todos",
                                                  fields: Self.preflight(origin: "https://evil.example"))
        #expect(response.status == (method == .get ? .ok : .methodNotAllowed))  // the router's own answer
        #expect(response.allFields.filter { $0.name.hasPrefix("Access-Control") }.isEmpty)
        #expect(response.values("Vary") == ["Origin"])
    }

    @Test("no Origin: no CORS fields, Vary: Origin for an origin list")
    func noOrigin() async throws {
        let cors = try CORS(allowOrigins: .list([Self.app]))
        let response = await RouteRunner.respond(Self.makeRouter(cors), .get, "/todos")
        #expect(response.allFields.filter { $0.name.hasPrefix("Access-Control") }.isEmpty)
        #expect(response.values("Vary") == ["Origin"])
    }

    @Test("any origin: `*`, without Vary")
    func anyOrigin() async throws {
        let router = Self.makeRouter(try CORS(allowOrigins: .any))
        let response = await RouteRunner.respond(router, .get, "/todos", fields: ["Origin: https://x.example"])
        #expect(response.values("Access-Control-Allow-Origin") == ["*"])
        #expect(response.values("Vary").isEmpty)
        let preflight = await RouteRunner.respond(router, .options, "/todos", fields: Self.preflight(origin: "https://x.example"))
        #expect(preflight.status == .noContent)
        #expect(preflight.values("Access-Control-Allow-Origin") == ["*"])
    }

    @Test("matching origins: the origin is echoed when the predicate accepts it")
    func matching() async throws {
        let cors = try CORS(allowOrigins: .matching { $0.hasSuffix(".example.com") })
        let router = Self.makeRouter(cors)
        let accepted = await RouteRunner.respond(router, .get, "/todos", fields: ["Origin: https://a.example.com"])
        #expect(accepted.values("Access-Control-Allow-Origin") == ["https://a.example.com"])
        #expect(accepted.values("Vary") == ["Origin"])
        let refused = await RouteRunner.respond(router, .get, "/todos", fields: ["Origin: https://a.example.org"])
        #expect(refused.values("Access-Control-Allow-Origin").isEmpty)
    }

    @Test("a configuration that cannot work is refused", arguments: [
        (CORS.Origins.any, true, [String](), CORSConfigurationError.anyOriginWithCredentials),
        (.list(["app.example"]), false, [], .invalidOrigin("app.example")),
        (.list(["https://app.example/"]), false, [], .invalidOrigin("https://app.example/")),
        (.list([Self.app]), false, ["X Total"], .invalidHeaderName("X Total")),
    ])
    func refusedConfiguration(_ origins: CORS.Origins, _ credentials: Bool, _ expose: [String],
                              _ expected: CORSConfigurationError) {
        #expect(throws: expected) {
            try CORS(allowOrigins: origins, exposeHeaders: expose, allowCredentials: credentials)
        }
    }

    @Test("configured origins compare as browsers send them (lowercase)")
    func normalizes() async throws {
        let router = Self.makeRouter(try CORS(allowOrigins: .list(["HTTPS://App.Example"])))
        let response = await RouteRunner.respond(router, .get, "/todos", fields: ["Origin: \(Self.app)"])
        #expect(response.values("Access-Control-Allow-Origin") == [Self.app])
    }
}

@Suite("RequestID")
struct RequestIDTests {
    static func makeRouter() -> Router {
        var router = Router()
        router.add(middleware: RequestID())
        router.get("/id") { request in request.requestID ?? "none" }
        return router
    }

    @Test("a valid incoming X-Request-ID is kept for the handler and echoed")
    func echoed() async {
        let response = await RouteRunner.respond(Self.makeRouter(), .get, "/id", fields: ["X-Request-ID: abc-123_x.y"])
        #expect(response.bodyText == "abc-123_x.y")
        #expect(response.values("X-Request-ID") == ["abc-123_x.y"])
    }

    @Test("a missing or invalid one is replaced by a fresh 22-character identifier", arguments: [
        [], ["X-Request-ID: has space"], ["X-Request-ID: " + String(repeating: "a", count: 65)], ["X-Request-ID: a<b"],
    ])
    func generated(_ fields: [String]) async {
        let router = Self.makeRouter()
        let first = await RouteRunner.respond(router, .get, "/id", fields: fields)
        let second = await RouteRunner.respond(router, .get, "/id", fields: fields)
        #expect(first.bodyText.utf8.count == 22)
        #expect(first.bodyText.utf8.allSatisfy { ASCII.isTokenByte($0) })
        #expect(first.values("X-Request-ID") == [first.bodyText])
        #expect(first.bodyText != second.bodyText)
    }
}
