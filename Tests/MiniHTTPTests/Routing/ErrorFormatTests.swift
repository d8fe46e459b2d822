import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

/// The error body format a router or group chooses: for thrown errors and for the server's own answers
/// (404, 405) under its prefix; plain text elsewhere.
@Suite("Error body format per router and group")
struct ErrorFormatTests {
    struct Problem: Decodable, Equatable {
        var type: String
        var title: String
        var status: Int
        var detail: String?
    }

    @Test("under a group writing problem details, thrown errors and the server's 404 and 405 are problem+json")
    func problemDetailsInGroup() async throws {
        let server = try TestServer(routes: { router in
            router.group("/api") { api in
                api.errorFormat = .problemDetails
                api.get("/todos/:id") { request in
                    _ = try request.parameters.require("id", as: Int.self)
                    throw HTTPError(.notFound, message: "no such todo")
                }
                api.post("/todos") { request in
                    struct New: Decodable { var title: String }
                    return .text(try request.decode(New.self).title)
                }
            }
            router.get("/plain") { _ in throw HTTPError(.conflict, message: "busy") }
        })
        defer { server.stop() }
        let port = server.port
        let responses = try await blocking {
            let client = try TestClient(port: port)
            defer { client.close() }
            return try [
                "GET /api/todos/7 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /api/todos/x HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /api/todos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
                "GET /api/missing HTTP/1.1\r\nHost: x\r\n\r\n",
                "DELETE /api/todos/1 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /plain HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n",
            ].map { try client.request($0) }
        }
        let problems = responses.prefix(5).map { try? JSONDecoder().decode(Problem.self, from: Data($0.body)) }
        #expect(responses.prefix(5).allSatisfy { $0.header("Content-Type") == "application/problem+json" })
        #expect(problems == [
            Problem(type: "about:blank", title: "Not Found", status: 404, detail: "no such todo"),
            Problem(type: "about:blank", title: "Bad Request", status: 400, detail: "id: expected Int, found \"x\""),
            Problem(type: "about:blank", title: "Bad Request", status: 400, detail: "missing key 'title'"),
            Problem(type: "about:blank", title: "Not Found", status: 404, detail: nil),
            Problem(type: "about:blank", title: "Method Not Allowed", status: 405, detail: nil),
        ])
        #expect(responses[4].header("Allow") == "GET, HEAD")
        #expect(responses[5].status == 409)
        #expect(responses[5].text == "busy\n")
        #expect(responses[6].text == "Not Found\n")
        #expect(responses[6].header("Content-Type") == "text/plain; charset=utf-8")
    }
}
