import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

/// `response.headers["X"]`: set, replace, remove and read by name without regard to case, in write order.
@Suite("Response headers by name")
struct ResponseHeadersTests {
    @Test("setting a name replaces every field of it at the first one's place; nil removes; reads ignore case")
    func editsByName() {
        var headers: ResponseHeaders = [
            HTTPField(name: "X-A", value: "1"), HTTPField(name: "Link", value: "<a>"),
            HTTPField(name: "x-a", value: "2"), HTTPField(name: "Vary", value: "Origin"),
        ]
        #expect(headers["x-A"] == "1")
        #expect(headers.values(for: "X-A") == ["1", "2"])
        headers["X-A"] = "3"
        #expect(headers.map(\.name) == ["X-A", "Link", "Vary"])
        #expect(headers["x-a"] == "3")
        headers["X-Total-Count"] = "42"
        #expect(headers.map(\.name).last == "X-Total-Count")
        headers.append(name: "Link", value: "<b>")
        #expect(headers.values(for: "link") == ["<a>", "<b>"])
        headers["LINK"] = nil
        #expect(!headers.contains("Link"))
        #expect(headers.count == 3)
    }

    @Test("a field set by name is written on the wire once, after the server's own fields")
    func onTheWire() async throws {
        let server = try TestServer(routes: { router in
            router.get("/count") { _ in
                var response = Response.text("[]\n")
                response.headers["X-Total-Count"] = "41"
                response.headers["x-total-count"] = "42"
                return response
            }
        })
        defer { server.stop() }
        let port = server.port
        let response = try await blocking {
            let client = try TestClient(port: port)
            defer { client.close() }
            return try client.request("GET /count HTTP/1.1\r\nHost: x\r\n\r\n")
        }
        #expect(response.headers.filter { $0.0.lowercased() == "x-total-count" }.map(\.1) == ["42"])
    }
}
