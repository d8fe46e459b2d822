import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("spaFallback: a single-page app's routes get its page, files stay files", .serialized)
struct SPAFallbackTests {
    static let page = "<!doctype html><title>test</title><h1>hello</h1>"  // TestServer's index.html

    func server(spaFallback: String? = "/index.html") throws -> TestServer {
        let server = try TestServer(configure: { $0.spaFallback = spaFallback }, routes: { router in
            router.get("/api/todos") { _ in .text("todos\n") }
        })
        server.publicFolder.write("js/app.js", "app()")
        return server
    }

    func get(_ server: TestServer, _ target: String, _ fields: String = "", method: String = "GET") async throws
        -> TestClient.Response
    {
        try await request(port: server.port, "\(method) \(target) HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
    }

    @Test("a route-like path gets the page with 200 and its validators", arguments: [
        ("/app/settings", ""), ("/app/settings/", ""), ("/settings?tab=2", ""), ("/app/settings", "Accept: text/html\r\n"),
        ("/a", "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"),
        ("/a", "Accept: */*\r\n"), ("/a", "Accept: application/json, text/*;q=0.5\r\n"),
    ])
    func fallsBack(_ target: String, _ fields: String) async throws {
        let server = try server()
        let response = try await get(server, target, fields)
        #expect(response.status == 200)
        #expect(response.text == Self.page)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.header("ETag") != nil)
    }

    @Test("the page answers conditional requests with 304, and HEAD without a body")
    func conditionalAndHead() async throws {
        let server = try server()
        let etag = try #require(try await get(server, "/app/settings").header("ETag"))
        #expect(try await get(server, "/app/other", "If-None-Match: \(etag)\r\n").status == 304)
        let head = try await get(server, "/app/settings", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "\(Self.page.utf8.count)")
        #expect(head.body.isEmpty)
    }

    @Test("real files and code routes win; an asset, an API client, another method or a wrong Accept get 404",
          arguments: [
              ("GET", "/js/app.js", "", 200, "app()"), ("GET", "/api/todos", "", 200, "todos\n"),
              ("GET", "/js/missing.js", "", 404, "Not Found\n"),
              ("GET", "/app/settings", "Accept: application/json\r\n", 404, "Not Found\n"),
              ("GET", "/app/settings", "Accept: text/html;q=0, application/json\r\n", 404, "Not Found\n"),
              ("GET", "/app/settings", "Accept: */*;q=0\r\n", 404, "Not Found\n"),
              ("POST", "/app/settings", "Content-Length: 0\r\n", 404, "Not Found\n"),
          ])
    func doesNotFallBack(_ method: String, _ target: String, _ fields: String, _ status: Int, _ body: String) async throws {
        let server = try server()
        let response = try await get(server, target, fields, method: method)
        #expect(response.status == status)
        #expect(response.text == body)
    }

    @Test("HEAD with Accept: application/json is 404")
    func headForJSON() async throws {
        let server = try server()
        #expect(try await get(server, "/app/settings", "Accept: application/json\r\n", method: "HEAD").status == 404)
    }

    @Test("without spaFallback, a route-like path is 404")
    func off() async throws {
        let server = try server(spaFallback: nil)
        #expect(try await get(server, "/app/settings").status == 404)
    }

    @Test("a fallback page that is missing leaves the 404")
    func missingPage() async throws {
        let server = try server(spaFallback: "/app.html")
        #expect(try await get(server, "/app/settings").status == 404)
    }

    @Test("Accept values", arguments: [
        ("text/html", true), ("TEXT/HTML", true), ("text/*", true), ("*/*", true), (" text/html ; q=0.1", true),
        ("application/json", false), ("text/html;q=0", false), ("text/html; q=0.000", false), ("image/*", false),
        ("text/plain", false),
    ])
    func acceptValues(_ value: String, _ admits: Bool) {
        #expect(SPAFallback.admitsHTML(Array(value.utf8)) == admits)
    }
}
