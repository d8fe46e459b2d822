import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

/// Typed per-request storage: what a middleware stores, the handler reads, by key type.
@Suite("Request storage")
struct RequestStorageTests {
    struct User: Sendable, Equatable { let name: String }
    enum CurrentUser: RequestStorageKey { typealias Value = User }
    enum Tenant: RequestStorageKey { typealias Value = String }

    struct Authenticate: Middleware {
        func handle(_ request: inout Request) throws -> Response? {
            guard request.headers["Authorization"] == "Bearer k" else { throw HTTPError(.unauthorized) }
            request.storage[CurrentUser.self] = User(name: "ada")
            request.storage[Tenant.self] = "acme"
            return nil
        }
    }

    @Test("values are kept per key type; nil removes")
    func keysAreTypes() {
        var storage = RequestStorage()
        #expect(storage[CurrentUser.self] == nil)
        storage[CurrentUser.self] = User(name: "ada")
        storage[Tenant.self] = "acme"
        #expect(storage[CurrentUser.self] == User(name: "ada"))
        #expect(storage[Tenant.self] == "acme")
        storage[Tenant.self] = nil
        #expect(!storage.contains(Tenant.self))
        #expect(storage.count == 1)
    }

    @Test("a middleware's value reaches the sync and the async handler of its group; others see none")
    func middlewareToHandler() async throws {
        let server = try TestServer(routes: { router in
            router.group("/api") { api in
                api.add(middleware: Authenticate())
                api.get("/me") { request in
                    "\(request.storage[CurrentUser.self]?.name ?? "-")@\(request.storage[Tenant.self] ?? "-")\n"
                }
                api.get("/me-later") { request async throws -> String in
                    "\(request.storage[CurrentUser.self]?.name ?? "-") later\n"
                }
            }
            router.get("/open") { request in "\(request.storage.count)\n" }
        })
        defer { server.stop() }
        let port = server.port
        let texts = try await blocking {
            let client = try TestClient(port: port)
            defer { client.close() }
            return try ["/api/me", "/api/me-later", "/open"].map {
                try client.request("GET \($0) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n").text
            } + [try client.request("GET /api/me HTTP/1.1\r\nHost: x\r\n\r\n").status.description]
        }
        #expect(texts == ["ada@acme\n", "ada later\n", "0\n", "401"])
    }
}
