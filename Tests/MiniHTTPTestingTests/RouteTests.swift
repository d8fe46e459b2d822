import Foundation
import MiniHTTP
import MiniHTTPTesting
import Testing

extension MiniHTTPTestingTests {
    @Suite("Routes through the real server") struct RouteTests {
        @Test("a sync route answers with a Content-Length body", arguments: Mode.allCases)
        func syncRoute(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let response = try await client.get("/hello")
                #expect(response.status == .ok)
                #expect(response.text == "Hello")
                #expect(response.framing == .contentLength(5))
                #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
                #expect(response.headers["Server"] == "minihttp")
            }
        }
    }
}
