import Foundation
import MiniHTTP
import MiniHTTPTesting
import Testing

extension MiniHTTPTestingTests {
    /// The README's "Testing your routes" example, word for word between the markers; another test
    /// checks that the README still shows exactly this code.
    @Suite("README testing example") struct ReadmeTestingExampleTests {
        @Test("the README's testing example runs")
        func example() async throws {
            // README testing example begins
            struct Todo: Codable, Equatable {
                var id: Int
                var title: String
            }

            var router = Router()
            router.get("/todos") { request in
                guard request.headers["Authorization"] == "Bearer k" else { return .status(.unauthorized) }
                return .json([Todo(id: 1, title: "milk")])
            }
            router.post("/todos") { request in
                .bytes(Array(request.body), contentType: "application/json", status: .created)
            }

            // In process: the real server (parser, router, handlers, encoder) on a socketpair; no port.
            let client = try TestClient(router: router)
            let response = try await client.get("/todos", headers: ["Authorization": "Bearer k"])
            #expect(response.status == .ok)
            #expect(response.headers["Content-Type"] == "application/json")
            #expect(try response.decode([Todo].self) == [Todo(id: 1, title: "milk")])

            let created = try await client.post("/todos", json: Todo(id: 2, title: "eggs"))
            #expect(created.status == .created)

            // Every response is validated: one framing, no body on HEAD, a valid Date, a Server.
            let head = try await client.head("/todos", headers: ["Authorization": "Bearer k"])
            #expect(head.body.isEmpty)
            await client.shutdown()

            // Live: the same server listening on 127.0.0.1, on a port the kernel picks.
            try await TestClient.live(router: router) { client in
                let denied = try await client.get("/todos")
                #expect(denied.status == .unauthorized)
            }
            // README testing example ends
        }

        @Test("the README shows the testing example word for word")
        func readmeShowsTheCompiledCode() throws {
            let root = String(#filePath).components(separatedBy: "/Tests/").first ?? "."
            let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8).components(separatedBy: "\n")
            let marker = try #require(readme.firstIndex { $0.hasPrefix("<!-- testing-example") })
            let block = readme[(marker + 2)...].prefix { $0 != "```" }.map { $0 }
            let source = try String(contentsOfFile: #filePath, encoding: .utf8).components(separatedBy: "\n")
            let begin = try #require(source.firstIndex { $0.hasSuffix("// README testing example begins") })
            let end = try #require(source.firstIndex { $0.hasSuffix("// README testing example ends") })
            let compiled = source[(begin + 1)..<end].map { $0.hasPrefix("            ") ? String($0.dropFirst(12)) : $0 }
            #expect(block == compiled)
        }
    }
}
