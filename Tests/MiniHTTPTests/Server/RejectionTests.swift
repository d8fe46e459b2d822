import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Bad requests end to end", .serialized)
struct RejectionTests {
    static let cases: [(String, String, Int)] = [
        ("malformed request line", "GET /\r\nHost: t\r\n\r\n", 400),
        ("malformed header field", "GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n", 400),
        ("missing Host", "GET / HTTP/1.1\r\n\r\n", 400),
        ("duplicate Host", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("invalid Host", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
        ("unknown method", "BREW / HTTP/1.1\r\nHost: t\r\n\r\n", 501),
        ("HTTP/2.0", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
        ("header section too large", "GET / HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "a", count: 70_000) + "\r\n\r\n", 431),
        ("target too long", "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
        ("body too large", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n", 413),
        ("Content-Length with Transfer-Encoding", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("duplicate Content-Length", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na", 400),
        ("non-numeric Content-Length", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n", 400),
        ("bad chunk", "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("unsupported Expect", "GET / HTTP/1.1\r\nHost: t\r\nExpect: magic\r\n\r\n", 417),
    ]

    @Test("each bad request gets its status and Connection: close, then the connection closes", arguments: cases)
    func rejected(_ name: String, _ request: String, _ status: Int) throws {
        // A route that reads bodies: a body to a path no handler takes is answered without being read.
        let server = try TestServer(routes: { router in router.post("/echo") { request in .bytes(Array(request.body)) } })
        let client = try server.client()
        try client.send(request + "GET / HTTP/1.1\r\nHost: t\r\n\r\n")  // never answered: nothing after an error is parsed
        let response = try client.readResponse()
        #expect(response.status == status, "\(name)")
        #expect(response.header("Connection") == "close", "\(name)")
        let rest = try client.readUntilClosed()
        #expect(rest.isEmpty, "\(name): bytes after the error response")
    }

    @Test("an unknown path is 404; a route with another method is 405 with Allow")
    func notFoundAndNotAllowed() throws {
        let server = try TestServer(routes: { router in
            router.post("/submit") { _ in .text("ok") }
        })
        let client = try server.client()
        #expect(try client.request("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n").status == 404)
        let response = try client.request("GET /submit HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "POST")
        let staticPost = try client.request("POST /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        #expect(staticPost.status == 405)
        #expect(staticPost.header("Allow") == "GET, HEAD")
    }

    @Test("a handler that throws gives 500 and the connection goes on")
    func throwingHandler() throws {
        struct Boom: Error {}
        let server = try TestServer(routes: { router in
            router.get("/boom") { _ in throw Boom() }
        })
        let client = try server.client()
        #expect(try client.request("GET /boom HTTP/1.1\r\nHost: t\r\n\r\n").status == 500)
        #expect(try client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
    }

    @Test("a response header with CR LF is never written: 500 instead")
    func headerInjection() throws {
        let server = try TestServer(routes: { router in
            router.get("/inject") { request in
                var response = Response.text("x")
                response.addHeader("X-Echo", request.query("v") ?? "")
                return response
            }
        })
        let client = try server.client()
        let response = try client.request("GET /inject?v=a%0d%0aSet-Cookie:%20evil HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.status == 500)
        #expect(response.header("Set-Cookie") == nil)
    }

    @Test("Expect: 100-continue gets 100 Continue before the body is sent")
    func expectContinue() throws {
        let server = try TestServer(routes: { router in
            router.post("/upload") { request in .text("got \(request.body.count)") }
        })
        let client = try server.client()
        try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        #expect(try client.readResponse().status == 100)
        try client.send("data")
        #expect(try client.readResponse().text == "got 4")
    }

    @Test("static traversal attempts over the wire never leave the public folder", arguments: [
        "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd", "/..\\..\\etc\\passwd", "/%00index.html", "/.hidden",
    ])
    func traversal(_ path: String) throws {
        let server = try TestServer()
        server.publicFolder.write(".hidden", "secret")
        let client = try server.client()
        let response = try client.request("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect([400, 403, 404].contains(response.status), "\(path) → \(response.status)")
        #expect(!response.text.contains("root:"))
        #expect(!response.text.contains("secret"))
    }
}
