import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// The README's async example, word for word between the markers below; a test checks that the README
/// still shows exactly this code, and another runs it.
enum ReadmeAsyncExample {
    static func register(on router: inout Router) {
        // README async example begins
        actor Visits {
            private var count = 0
            func next() -> Int {
                count += 1
                return count
            }
        }

        let visits = Visits()
        router.get("/visits") { _ async in
            .text("visit \(await visits.next())\n")
        }
        router.get("/slow/:ms") { request async throws -> Response in
            let milliseconds = min(Int(request.parameters["ms"] ?? "") ?? 100, 5_000)
            try await Task.sleep(for: .milliseconds(milliseconds))  // stands in for a database call
            return .text("waited \(milliseconds) ms\n")
        }
        // README async example ends
    }
}

@Suite("README examples")
struct ReadmeExampleTests {
    static let root = String(#filePath).components(separatedBy: "/Tests/").first ?? "."

    static func lines(ofFile path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
    }

    @Test("the README's async example is this file's, word for word")
    func readmeShowsTheCompiledCode() throws {
        let readme = try Self.lines(ofFile: Self.root + "/README.md")
        let marker = try #require(readme.firstIndex { $0.hasPrefix("<!-- async-example") })
        let block = readme[(marker + 2)...].prefix { $0 != "```" }.map { $0 }
        let source = try Self.lines(ofFile: #filePath)
        let begin = try #require(source.firstIndex { $0.hasSuffix("// README async example begins") })
        let end = try #require(source.firstIndex { $0.hasSuffix("// README async example ends") })
        let compiled = source[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        #expect(block == compiled)
    }

    @Test("the README's async routes answer")
    func asyncExampleRuns() async throws {
        let server = try TestServer(routes: { ReadmeAsyncExample.register(on: &$0) })
        let port = server.port
        let texts = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            return try ["/visits", "/visits", "/slow/10"].map {
                try client.request("GET \($0) HTTP/1.1\r\nHost: t\r\n\r\n").text
            }
        }
        #expect(texts == ["visit 1\n", "visit 2\n", "waited 10 ms\n"])
    }
}
