import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// `request.decode`, query decoding and typed parameters, end to end: what a thrown decoding problem
/// becomes on the wire (415, 400 naming the key), never a 500.
@Suite("Request decoding: JSON and forms, queries, typed parameters")
struct RequestDecodingTests {
    struct Todo: Codable, Equatable {
        var title: String
        var done: Bool
        var due: Date?
    }

    struct Page: Decodable {
        var limit: Int?
        var offset: Int?
    }

    private func server() throws -> TestServer {
        try TestServer(routes: { router in
            router.post("/todos") { request in
                let todo = try request.decode(Todo.self)
                return .text("\(todo.title)|\(todo.done)|\(todo.due.map { Int($0.timeIntervalSince1970) } ?? -1)\n")
            }
            router.get("/page") { request in
                let page = try request.query(as: Page.self)
                return .text("\(page.limit ?? -1),\(page.offset ?? -1)\n")
            }
            router.get("/limit") { request in
                .text("\(try request.query("limit", as: Int.self) ?? -1)\n")
            }
            router.get("/todos/:id") { request in
                .text("id \(try request.parameters.require("id", as: Int.self))\n")
            }
            router.get("/teapot") { _ in throw HTTPError(Status(code: 418), message: "short and stout") }
            router.get("/secret") { _ in throw CocoaError(.fileNoSuchFile) }
        })
    }

    private static func post(_ port: Int, type: String?, _ body: String) throws -> TestClient.Response {
        let client = try TestClient(port: port)
        defer { client.close() }
        let typeLine = type.map { "Content-Type: \($0)\r\n" } ?? ""
        return try client.request(
            "POST /todos HTTP/1.1\r\nHost: x\r\n\(typeLine)Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }

    @Test("a JSON body decodes, ISO 8601 dates included; a form body decodes by its media type")
    func decodesJSONAndForms() async throws {
        let server = try server()
        defer { server.stop() }
        let port = server.port
        try await blocking {
            let json = try Self.post(port, type: "application/json; charset=utf-8",
                                #"{"title":"milk","done":false,"due":"2026-11-28T00:00:00Z"}"#)
            #expect(json.status == 200)
            #expect(json.text == "milk|false|1795824000\n")
            let form = try Self.post(port, type: "application/x-www-form-urlencoded", "title=eggs+%26+ham&done=on")
            #expect(form.status == 200)
            #expect(form.text == "eggs & ham|true|-1\n")
        }
    }

    @Test("a wrong or missing media type is 415; an empty body 400; bad input 400 naming the key", arguments: [
        ("text/plain", "title=x", 415, "expected application/json or application/x-www-form-urlencoded"),
        (nil, "{}", 415, "expected application/json or application/x-www-form-urlencoded"),
        ("application/json; charset=latin1", "{}", 415, "expected application/json or application/x-www-form-urlencoded"),
        ("application/json", "", 400, "the body is empty"),
        ("application/json", #"{"title":"x"}"#, 400, "missing key 'done'"),
        ("application/json", #"{"title":"x","done":"yes"}"#, 400, "done: expected Bool"),
        ("application/json", "{", 400, "body is not valid JSON"),
        ("application/x-www-form-urlencoded", "title=x&done=maybe", 400, "done: expected Bool"),
    ] as [(String?, String, Int, String)])
    func refusesWhatDoesNotFit(type: String?, body: String, status: Int, message: String) async throws {
        let server = try server()
        defer { server.stop() }
        let port = server.port
        let response = try await blocking { try Self.post(port, type: type, body) }
        #expect(response.status == status)
        #expect(response.text.contains(message), "\(response.text)")
    }

    @Test("query decoding and typed query and path values answer 400 for a value that is not the type")
    func queriesAndParameters() async throws {
        let server = try server()
        defer { server.stop() }
        let port = server.port
        try await blocking {
            let client = try TestClient(port: port)
            defer { client.close() }
            func get(_ target: String) throws -> TestClient.Response {
                try client.request("GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
            }
            #expect(try get("/page?limit=10&offset=20").text == "10,20\n")
            #expect(try get("/page").text == "-1,-1\n")
            let badPage = try get("/page?limit=ten")
            #expect(badPage.status == 400)
            #expect(badPage.text.contains("limit"))
            #expect(try get("/limit?limit=7").text == "7\n")
            #expect(try get("/limit").text == "-1\n")
            let badLimit = try get("/limit?limit=seven")
            #expect(badLimit.status == 400)
            #expect(badLimit.text == "limit: expected Int, found \"seven\"\n")
            // The client's value comes back without its control characters.
            #expect(try get("/limit?limit=%0D%0Aevil").text == "limit: expected Int, found \"??evil\"\n")
            #expect(try get("/todos/42").text == "id 42\n")
            let badID = try get("/todos/abc")
            #expect(badID.status == 400)
            #expect(badID.text == "id: expected Int, found \"abc\"\n")
        }
    }

    @Test("a thrown HTTPError is answered with its status and message; any other error is a 500 that hides it")
    func thrownErrors() async throws {
        let server = try server()
        defer { server.stop() }
        let port = server.port
        try await blocking {
            let client = try TestClient(port: port)
            defer { client.close() }
            let teapot = try client.request("GET /teapot HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(teapot.status == 418)
            #expect(teapot.text == "short and stout\n")
            let secret = try client.request("GET /secret HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(secret.status == 500)
            #expect(secret.text == "Internal Server Error\n")
        }
    }
}
