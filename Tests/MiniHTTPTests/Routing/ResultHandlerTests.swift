import Foundation
import Testing
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

struct ResultTodo: Codable, Sendable, Equatable {
    var id = 1
    var title = "milk"
    var due = Date(timeIntervalSince1970: 1_700_000_000)
}

/// Both Encodable and convertible: its own conversion must win.
struct Badge: Encodable, ResponseConvertible {
    let name = "gold"
    func response(to request: Request) -> Response { .text("badge \(name)") }
}

@Suite("Handler results")
struct ResultHandlerTests {
    static func fetch() async throws -> [ResultTodo] { [ResultTodo()] }

    static func makeRouter() -> Router {
        var router = Router()
        router.get("/response") { _ in .text("response") }
        router.get("/string") { _ in "hello" }
        router.get("/string-multi") { request in
            let name = request.query("name") ?? "you"
            return "hello \(name)"
        }
        router.get("/model") { _ in ResultTodo() }
        router.get("/models") { _ in [ResultTodo(), ResultTodo(id: 2, title: "eggs")] }
        router.get("/badge") { _ in Badge() }
        router.delete("/status") { _ in Status.noContent }
        router.get("/bytes") { _ in [UInt8]([1, 2, 3]) }
        router.get("/none") { _ -> String? in nil }
        router.get("/async-model") { _ in try await fetch() }
        router.get("/async-string") { _ async in "later" }
        router.get("/async-response") { _ async throws -> Response in .text("async response") }
        router.group("/seconds") { group in
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .secondsSince1970
            group.json = JSONCoding(encoder: encoder, decoder: JSONDecoder())
            group.get("/model") { _ in ResultTodo() }
        }
        return router
    }

    @Test("each kind of result becomes the expected response", arguments: [
        ("/response", 200, "text/plain; charset=utf-8", "response"),
        ("/string", 200, "text/plain; charset=utf-8", "hello"),
        ("/string-multi?name=ada", 200, "text/plain; charset=utf-8", "hello ada"),
        ("/model", 200, "application/json", #"{"due":"2023-11-14T22:13:20Z","id":1,"title":"milk"}"#),
        ("/badge", 200, "text/plain; charset=utf-8", "badge gold"),
        ("/bytes", 200, "application/octet-stream", "\u{1}\u{2}\u{3}"),
        ("/none", 204, nil, ""),
        ("/async-string", 200, "text/plain; charset=utf-8", "later"),
        ("/async-response", 200, "text/plain; charset=utf-8", "async response"),
        ("/seconds/model", 200, "application/json", #"{"due":1700000000,"id":1,"title":"milk"}"#),
    ] as [(String, Int, String?, String)])
    func results(_ target: String, _ status: Int, _ contentType: String?, _ body: String) async {
        let response = await RouteRunner.respond(Self.makeRouter(), target)
        #expect(response.status.code == status)
        #expect(response.contentType == contentType)
        #expect(Self.sortedJSON(response.bodyText) == Self.sortedJSON(body))
    }

    @Test("an Encodable array and an async Encodable result are JSON")
    func arrays() async throws {
        let router = Self.makeRouter()
        for target in ["/models", "/async-model"] {
            let response = await RouteRunner.respond(router, target)
            let todos = try JSONCoding.default.decode([ResultTodo].self, from: Array(response.bodyText.utf8))
            #expect(todos.first == ResultTodo())
        }
    }

    @Test("a Status result has no body")
    func statusResult() async {
        let response = await RouteRunner.respond(Self.makeRouter(), .delete, "/status")
        #expect(response.status == .noContent)
        #expect(response.body.count == 0)
    }

    @Test("Response.json encodes dates as ISO 8601 by default, or with the coding it is given")
    func responseJSON() {
        #expect(Response.json(ResultTodo()).bodyText.contains(#""due":"2023-11-14T22:13:20Z""#))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let seconds = Response.json(ResultTodo(), coding: JSONCoding(encoder: encoder, decoder: JSONDecoder()))
        #expect(seconds.bodyText.contains(#""due":1700000000"#))
    }

    /// JSON key order is not fixed: compare objects by their sorted keys.
    static func sortedJSON(_ text: String) -> String {
        guard text.hasPrefix("{"), let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data),
              let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return text }
        return String(decoding: sorted, as: UTF8.self)
    }
}
