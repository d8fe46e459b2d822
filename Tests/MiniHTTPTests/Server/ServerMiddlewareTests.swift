import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Marks every response it finishes with `X-Stamp`.
struct Stamp: Middleware {
    let name: String
    func finish(_ response: inout Response, for request: Request) {
        response.addHeader("X-Stamp", name)
    }
}

/// The server's own answers (404, 405, `OPTIONS`, static files, redirects, rendered errors) pass the
/// middleware of the scope owning the path, end to end through a real worker.
@Suite("Middleware on the server's answers", .serialized)
struct ServerMiddlewareTests {
    static let app = "https://app.example"

    static func makeServer() throws -> TestServer {
        let cors = try CORS(allowOrigins: .list([Self.app]))
        return try TestServer(routes: { router in
            router.add(middleware: Stamp(name: "root"))
            router.get("/plain") { _ in .text("plain") }
            router.get("/fails") { _ throws -> Response in throw TestFailure.handler }
            router.get("/fails-later") { _ async throws -> Response in throw TestFailure.handler }
            router.get("/model") { _ in ResultTodo() }
            router.group("/api/v1") { api in
                api.add(middleware: Stamp(name: "api"))
                api.add(middleware: cors)
                api.get("/todos") { _ in "[]" }
            }
        })
    }

    static func exchange(_ server: TestServer, _ requests: [String]) async throws -> [TestClient.Response] {
        let port = server.port
        return try await blocking {
            let client = try TestClient(port: port)
            return try requests.map { try client.request($0 + "\r\n") }
        }
    }

    static func request(_ method: String, _ target: String, _ fields: [String] = []) -> String {
        "\(method) \(target) HTTP/1.1\r\nHost: t\r\n" + fields.map { $0 + "\r\n" }.joined()
    }

    @Test("404, 405, OPTIONS, a static file, a redirect and a thrown error each pass the root's finish hook")
    func rootAnswers() async throws {
        let server = try Self.makeServer()
        let responses = try await Self.exchange(server, [
            Self.request("GET", "/missing"),
            Self.request("POST", "/plain"),
            Self.request("OPTIONS", "/plain"),
            Self.request("GET", "/index.html"),
            Self.request("GET", "/plain/?a=1"),
            Self.request("GET", "/fails"),
            Self.request("GET", "/fails-later"),
            Self.request("OPTIONS", "*"),
        ])
        #expect(responses.map(\.status) == [404, 405, 204, 200, 308, 500, 500, 204])
        #expect(responses.map { $0.header("X-Stamp") } == Array(repeating: "root", count: 8))
        #expect(responses[2].header("Allow") == "GET, HEAD")
        #expect(responses[4].header("Location") == "/plain?a=1")
        #expect(responses[5].text == "Internal Server Error\n")
    }

    @Test("a 404 beneath a group passes the group's middleware: CORS fields on it, the browser can read it")
    func groupNotFound() async throws {
        let server = try Self.makeServer()
        let responses = try await Self.exchange(server, [
            Self.request("GET", "/api/v1/nothing", ["Origin: \(Self.app)"]),
            Self.request("GET", "/nothing", ["Origin: \(Self.app)"]),
        ])
        #expect(responses.map(\.status) == [404, 404])
        #expect(responses[0].headers.filter { $0.0 == "X-Stamp" }.map(\.1) == ["api", "root"])
        #expect(responses[0].header("Access-Control-Allow-Origin") == Self.app)
        #expect(responses[1].header("Access-Control-Allow-Origin") == nil)
    }

    @Test("a CORS preflight is answered by the middleware on a path with no OPTIONS route")
    func preflightOnServerAnswer() async throws {
        let server = try Self.makeServer()
        let preflight = ["Origin: \(Self.app)", "Access-Control-Request-Method: PUT"]
        let responses = try await Self.exchange(server, [
            Self.request("OPTIONS", "/api/v1/todos", preflight),
            Self.request("OPTIONS", "/api/v1/todos", ["Origin: https://evil.example", "Access-Control-Request-Method: PUT"]),
            Self.request("GET", "/api/v1/todos", ["Origin: \(Self.app)"]),
        ])
        #expect(responses.map(\.status) == [204, 204, 200])
        #expect(responses[0].header("Access-Control-Allow-Origin") == Self.app)
        #expect(responses[0].header("Access-Control-Allow-Methods") == "GET, HEAD, POST, PUT, PATCH, DELETE")
        #expect(responses[0].header("Allow") == nil)
        #expect(responses[1].header("Access-Control-Allow-Origin") == nil)  // the server's own OPTIONS answer
        #expect(responses[1].header("Allow") == "GET, HEAD")
        #expect(responses[2].header("Access-Control-Allow-Origin") == Self.app)
        #expect(responses[2].text == "[]")
    }

    @Test("an Encodable result goes out as JSON with ISO 8601 dates")
    func encodableOverTheWire() async throws {
        let server = try Self.makeServer()
        let responses = try await Self.exchange(server, [Self.request("GET", "/model")])
        #expect(responses[0].header("Content-Type") == "application/json")
        #expect(responses[0].text.contains(#""due":"2023-11-14T22:13:20Z""#))
    }
}
