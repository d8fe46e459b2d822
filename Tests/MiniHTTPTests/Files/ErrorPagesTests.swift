import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("errorPages: pages for the server's own errors, never for a handler's response", .serialized)
struct ErrorPagesTests {
    struct Failure: Error {}

    struct ServedBy: Middleware {
        func finish(_ response: inout Response, for request: Request) {
            response.addHeader("X-Served-By", "test")
        }
    }

    func server(pages: [Int: String] = [404: "/404.html", 500: "/50x.html", 405: "/405.html"]) throws -> TestServer {
        let server = try TestServer(configure: { $0.errorPages = pages }, routes: { router in
            router.get("/throws") { _ throws -> Response in throw Failure() }
            router.get("/async-throws") { (_: Request) async throws -> Response in throw Failure() }
            router.get("/own-404") { _ in .text("my own 404\n", status: .notFound) }
            router.get("/thrown-404") { _ throws -> Response in throw HTTPError(.notFound, message: "no such todo") }
            router.get("/thrown-503") { _ throws -> Response in throw HTTPError(.serviceUnavailable) }
            router.get("/missing-file") { _ in .file("nothing-here.txt") }
            router.post("/only-post") { _ in .text("posted\n") }
        })
        server.publicFolder.write("404.html", "<h1>not here</h1>")
        server.publicFolder.write("50x.html", "<h1>our fault</h1>")
        server.publicFolder.write("405.html", "<h1>not so</h1>")
        return server
    }

    func get(_ server: TestServer, _ target: String, _ fields: String = "", method: String = "GET") async throws
        -> TestClient.Response
    {
        try await request(port: server.port, "\(method) \(target) HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
    }

    @Test("the server's 404 and 500 get their page, with the status and Cache-Control: no-store", arguments: [
        ("/nothing", 404, "<h1>not here</h1>"), ("/missing-file", 404, "<h1>not here</h1>"),
        ("/throws", 500, "<h1>our fault</h1>"), ("/async-throws", 500, "<h1>our fault</h1>"),
        ("/.hidden", 404, "<h1>not here</h1>"),
    ])
    func pages(_ target: String, _ status: Int, _ body: String) async throws {
        let server = try server()
        let port = server.port
        // Off the cooperative pool, which an async handler needs (see `blocking`).
        let response = try await blocking {
            try TestClient(port: port).request("GET \(target) HTTP/1.1\r\nHost: t\r\nIf-None-Match: *\r\n\r\n")
        }
        #expect(response.status == status)
        #expect(response.text == body)
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("ETag") == nil)
    }

    @Test("a 405 page keeps Allow; HEAD gets the page's head without a body")
    func keepsFieldsAndHead() async throws {
        let server = try server()
        let response = try await get(server, "/only-post")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "POST")
        #expect(response.text == "<h1>not so</h1>")
        let head = try await get(server, "/nothing", method: "HEAD")
        #expect(head.status == 404)
        #expect(head.header("Content-Length") == "17")
        #expect(head.body.isEmpty)
    }

    @Test("a handler's own error response, returned or thrown as an HTTPError, is sent as it is", arguments: [
        ("/own-404", 404, "my own 404\n"), ("/thrown-404", 404, "no such todo\n"),
    ])
    func handlersOwn(_ target: String, _ status: Int, _ body: String) async throws {
        let server = try server(pages: [404: "/404.html", 503: "/50x.html"])
        let response = try await get(server, target)
        #expect(response.status == status)
        #expect(response.text == body)
        #expect(response.header("Cache-Control") == nil)
        #expect(try await get(server, "/thrown-503").header("Cache-Control") == nil)
    }

    @Test("behind a middleware, the page keeps the middleware's header fields, for a 404 and a thrown 500",
          arguments: [("/nothing", 404, "<h1>not here</h1>"), ("/throws", 500, "<h1>our fault</h1>")])
    func behindMiddleware(_ target: String, _ status: Int, _ body: String) async throws {
        let server = try TestServer(configure: { $0.errorPages = [404: "/404.html", 500: "/50x.html"] }, routes: { router in
            router.add(middleware: ServedBy())
            router.get("/throws") { _ throws -> Response in throw Failure() }
        })
        server.publicFolder.write("404.html", "<h1>not here</h1>")
        server.publicFolder.write("50x.html", "<h1>our fault</h1>")
        let response = try await get(server, target)
        #expect(response.status == status)
        #expect(response.text == body)
        #expect(response.header("X-Served-By") == "test")
        #expect(response.header("Cache-Control") == "no-store")
    }

    @Test("under a group writing problem details, the server's 404 and a thrown 500 stay problem details",
          arguments: [("/api/nothing", 404), ("/api/throws", 500)])
    func problemDetailsScope(_ target: String, _ status: Int) async throws {
        let server = try TestServer(configure: { $0.errorPages = [404: "/404.html", 500: "/50x.html"] }, routes: { router in
            router.group("/api") { api in
                api.errorFormat = .problemDetails
                api.get("/throws") { _ throws -> Response in throw Failure() }
            }
        })
        server.publicFolder.write("404.html", "<h1>not here</h1>")
        server.publicFolder.write("50x.html", "<h1>our fault</h1>")
        let response = try await get(server, target)
        #expect(response.status == status)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.header("Cache-Control") == nil)
        #expect(try await get(server, "/nothing").text == "<h1>not here</h1>")  // outside the group: the page
    }

    @Test("without a page for the status, or when the page is missing, the plain answer goes")
    func plain() async throws {
        let server = try server(pages: [500: "/50x.html", 404: "/gone.html"])
        let response = try await get(server, "/nothing")
        #expect(response.status == 404)
        #expect(response.text == "Not Found\n")
        #expect(try await get(server, "/only-post").text == "Method Not Allowed\n")
    }
}
