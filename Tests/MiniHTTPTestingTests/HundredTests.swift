import Glibc
import MiniHTTP
import MiniHTTPTesting
import Testing

extension MiniHTTPTestingTests {
    @Suite("Many requests") struct HundredTests {
        @Test("100 sequential requests of each kind go on one connection", arguments: Mode.allCases)
        func hundred(mode: Mode) async throws {
            let clock = ContinuousClock()
            let started = clock.now
            try await Fixture.withClient(mode) { client in
                for index in 0..<100 {
                    let response: TestResponse
                    switch index % 4 {
                    case 0: response = try await client.get("/hello")
                    case 1: response = try await client.get("/async?n=\(index)")
                    case 2: response = try await client.get("/stream")
                    default: response = try await client.post("/upload", body: Array(repeating: 1, count: index), chunkSize: 10)
                    }
                    #expect(response.status == .ok)
                }
                #expect(client.connectionsOpened == 1)
            }
            // Reported, never asserted: TESTING_TIMINGS=1 swift test --filter HundredTests
            if getenv("TESTING_TIMINGS") != nil { print("TIMING \(mode): 100 requests in \(clock.now - started)") }
        }
    }
}
