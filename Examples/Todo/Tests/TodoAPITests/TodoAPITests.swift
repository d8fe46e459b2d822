import Foundation
import MiniHTTP
import MiniHTTPTesting
import Testing
import TodoAPI

/// The todo example, tested as its users test theirs: public API and MiniHTTPTesting only.
@Suite("Todo API (example)")
struct TodoAPITests {
    static let key: TestRequestHeaders = ["Authorization": "Bearer test-key"]
    static let origin = "https://todo.example"

    /// The server as `todo-server` runs it: the API and the front end's folder.
    static func withClient<T>(_ body: (TestClient) async throws -> T) async throws -> T {
        var configuration = TestClient.defaultConfiguration
        configuration.publicDirectory = String(#filePath).components(separatedBy: "/Tests/").first.map { $0 + "/Public" }
        let router = try todoRouter(store: TodoStore(), apiKey: "test-key", allowedOrigin: origin)
        return try await TestClient.inProcess(router: router, configuration: configuration, body)
    }

    @Test("create, read, update, list with limit and offset, delete")
    func lifecycle() async throws {
        try await Self.withClient { client in
            for title in ["milk", "eggs", "bread"] {
                let created = try await client.post("/api/v1/todos", json: NewTodo(title: title), headers: Self.key)
                #expect(created.status == .created)
            }
            let first = try await client.get("/api/v1/todos/1", headers: Self.key).decode(Todo.self)
            #expect(first.title == "milk")
            #expect(first.done == false)

            let changed = try await client.patch("/api/v1/todos/1", json: TodoChange(done: true), headers: Self.key)
            #expect(try changed.decode(Todo.self).done)

            let page = try await client.get("/api/v1/todos?limit=2&offset=1", headers: Self.key)
            #expect(try page.decode([Todo].self).map(\.title) == ["eggs", "bread"])
            #expect(page.headers["X-Total-Count"] == "3")

            #expect(try await client.delete("/api/v1/todos/2", headers: Self.key).status == .noContent)
            #expect(try await client.delete("/api/v1/todos/2", headers: Self.key).status == .notFound)
            #expect(try await client.get("/api/v1/todos/2", headers: Self.key).status == .notFound)
        }
    }

    @Test("a form body creates a todo too; dates go out as ISO 8601")
    func formAndDates() async throws {
        try await Self.withClient { client in
            let created = try await client.post("/api/v1/todos", form: ["title": "tea", "done": "on"], headers: Self.key)
            #expect(created.status == .created)
            #expect(created.headers["Location"] == "/api/v1/todos/1")
            #expect(created.text.contains(#""createdAt":"20"#))
            #expect(try created.decode(Todo.self).done)
        }
    }

    @Test("bad input: no key is 401 with a challenge; a wrong media type 415; bad JSON or values 400")
    func badInput() async throws {
        try await Self.withClient { client in
            let anonymous = try await client.get("/api/v1/todos")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers["WWW-Authenticate"] == #"Bearer realm="todos""#)

            let text = try await client.post("/api/v1/todos", body: Array("milk".utf8),
                                             headers: ["Authorization": "Bearer test-key", "Content-Type": "text/plain"])
            #expect(text.status == .unsupportedMediaType)

            let missing = try await client.post("/api/v1/todos", body: Array("{}".utf8),
                                                headers: ["Authorization": "Bearer test-key", "Content-Type": "application/json"])
            #expect(missing.status == .badRequest)
            #expect(missing.text == "missing key 'title'\n")

            let badLimit = try await client.get("/api/v1/todos?limit=many", headers: Self.key)
            #expect(badLimit.status == .badRequest)
            #expect(try await client.get("/api/v1/todos/x", headers: Self.key).status == .badRequest)
        }
    }

    @Test("CORS: a preflight from the front end's origin is answered; errors carry the CORS fields too")
    func cors() async throws {
        try await Self.withClient { client in
            let preflight = try await client.options("/api/v1/todos/1", headers: [
                "Origin": Self.origin, "Access-Control-Request-Method": "PATCH",
                "Access-Control-Request-Headers": "authorization, content-type",
            ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers["Access-Control-Allow-Origin"] == Self.origin)
            #expect(preflight.headers["Access-Control-Allow-Methods"]?.contains("PATCH") == true)

            let denied = try await client.get("/api/v1/todos", headers: ["Origin": Self.origin])
            #expect(denied.status == .unauthorized)
            #expect(denied.headers["Access-Control-Allow-Origin"] == Self.origin)

            let list = try await client.get("/api/v1/todos", headers: ["Origin": Self.origin, "Authorization": "Bearer test-key"])
            #expect(list.headers["Access-Control-Expose-Headers"]?.contains("X-Total-Count") == true)
            #expect(list.headers["X-Request-ID"] != nil)
        }
    }

    @Test("the visits cookie counts up, with its attributes")
    func cookie() async throws {
        try await Self.withClient { client in
            let first = try await client.get("/api/v1/visits", headers: Self.key)
            #expect(first.headers["Set-Cookie"] == "visits=1; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax")
            let again = try await client.get("/api/v1/visits", headers: ["Authorization": "Bearer test-key", "Cookie": "visits=41"])
            #expect(again.text == #"{"visits":42}"#)
        }
    }

    @Test("the front end is served beside the API, with validators")
    func frontEnd() async throws {
        try await Self.withClient { client in
            let page = try await client.get("/")
            #expect(page.status == .ok)
            #expect(page.text.contains("<title>Todos</title>"))
            let script = try await client.get("/app.js")
            #expect(script.headers["Content-Type"]?.hasPrefix("text/javascript") == true)
            let etag = try #require(script.headers["ETag"])
            #expect(try await client.get("/app.js", headers: ["If-None-Match": etag]).status == .notModified)
        }
    }
}
