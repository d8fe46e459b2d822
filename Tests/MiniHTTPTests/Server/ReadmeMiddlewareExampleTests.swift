import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// The README's middleware example, word for word between the markers below; a test checks that the
/// README still shows exactly this code, and another runs it.
enum ReadmeMiddlewareExample {
    static func register(on router: inout Router) throws {
        // README middleware example begins
        struct ServedBy: Middleware {
            func finish(_ response: inout Response, for request: Request) {
                response.addHeader("X-Served-By", "todos")
            }
        }

        struct Todo: Codable, Sendable {
            var id: Int
            var title: String
        }

        let cors = try CORS(allowOrigins: .list(["https://app.example"]), exposeHeaders: ["X-Request-ID"])
        router.add(middleware: ServedBy())
        router.add(middleware: RequestID())
        router.group("/api/v1") { api in
            api.add(middleware: cors)
            api.get("/todos") { _ in [Todo(id: 1, title: "milk")] }  // JSON
            api.get("/todos/:id") { request in
                guard let id = request.parameters.int("id") else { return Response.status(.badRequest) }
                return Response.json(Todo(id: id, title: "milk"))
            }
            api.group("/admin") { admin in
                admin.get("/ping") { _ in "pong" }  // text/plain
            }
        }
        // README middleware example ends
    }
}

@Suite("README middleware example")
struct ReadmeMiddlewareExampleTests {
    @Test("the README's middleware example is this file's, word for word")
    func readmeShowsTheCompiledCode() throws {
        let readme = try ReadmeExampleTests.lines(ofFile: ReadmeExampleTests.root + "/README.md")
        let marker = try #require(readme.firstIndex { $0.hasPrefix("<!-- middleware-example") })
        let block = readme[(marker + 2)...].prefix { $0 != "```" }.map { $0 }
        let source = try ReadmeExampleTests.lines(ofFile: #filePath)
        let begin = try #require(source.firstIndex { $0.hasSuffix("// README middleware example begins") })
        let end = try #require(source.firstIndex { $0.hasSuffix("// README middleware example ends") })
        let compiled = source[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        #expect(block == compiled)
    }

    @Test("the README's middleware example answers")
    func runs() async throws {
        var router = Router()
        try ReadmeMiddlewareExample.register(on: &router)
        let frozen = router
        let server = try TestServer(routes: { $0 = frozen })
        let port = server.port
        let responses = try await blocking {
            let client = try TestClient(port: port)
            return try [
                "GET /api/v1/todos HTTP/1.1\r\nHost: t\r\nOrigin: https://app.example\r\n\r\n",
                "GET /api/v1/todos/7 HTTP/1.1\r\nHost: t\r\n\r\n",
                "GET /api/v1/admin/ping HTTP/1.1\r\nHost: t\r\nX-Request-ID: trace-1\r\n\r\n",
                "GET /api/v1/todos/ HTTP/1.1\r\nHost: t\r\n\r\n",
            ].map { try client.request($0) }
        }
        #expect(responses.map(\.status) == [200, 200, 200, 308])
        #expect(responses[0].text == #"[{"id":1,"title":"milk"}]"# || responses[0].text == #"[{"title":"milk","id":1}]"#)
        #expect(responses[0].header("Access-Control-Allow-Origin") == "https://app.example")
        #expect(responses[0].header("Access-Control-Expose-Headers") == "X-Request-ID")
        #expect(responses[0].header("X-Request-ID")?.utf8.count == 22)
        #expect(responses[1].text.contains(#""id":7"#))
        #expect(responses[2].text == "pong")
        #expect(responses[2].header("X-Request-ID") == "trace-1")
        #expect(responses.allSatisfy { $0.header("X-Served-By") == "todos" })
        #expect(responses[3].header("Location") == "/api/v1/todos")
    }
}
