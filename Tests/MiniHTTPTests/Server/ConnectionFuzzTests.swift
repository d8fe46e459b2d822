import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Seeded random scripts of pipelined requests against a real server: GET, HEAD, POST with Content-Length
/// and chunked bodies (with and without `Expect: 100-continue`), async routes, streamed responses and
/// streamed request bodies, written with random splits and short pauses, sometimes ending with a
/// half-close or `Connection: close`. Every request must get its own response, in order, with the right
/// body; after a half-close or `Connection: close` the server answers, then closes; every read is bounded.
///
/// Runs about 3 s in `swift test`; `FUZZ_SECONDS=300` runs longer, `FUZZ_SEED=N` replays
/// from another seed (a failure names the seed of its script).
@Suite("Connection fuzz (end to end)")
struct ConnectionFuzzTests {
    static func makeServer() throws -> TestServer {
        try TestServer(routes: { router in
            router.get("/sync/:n/:length") { request in
                .text(FuzzScript.text(request.parameters["n"] ?? "", length: Int(request.parameters["length"] ?? "") ?? 0))
            }
            router.post("/echo/:n") { request in .bytes(Array("\(request.parameters["n"] ?? ""):".utf8) + request.body) }
            router.get("/async/:n") { request async throws -> Response in
                if request.parameters["n"]?.last == "7" { try await Task.sleep(for: .milliseconds(2)) }
                await Task.yield()
                return .text("async \(request.parameters["n"] ?? "")")
            }
            router.post("/async-echo/:n") { request async -> Response in
                await Task.yield()
                return .bytes(Array("\(request.parameters["n"] ?? ""):".utf8) + request.body)
            }
            router.get("/stream/:n/:parts") { request in
                let name = request.parameters["n"] ?? ""
                let parts = Int(request.parameters["parts"] ?? "") ?? 0
                return .stream { writer in
                    for part in 0..<parts { try await writer.write("\(name)-\(part),") }
                }
            }
            router.post("/upload/:n", body: .streamed(maxBytes: 1 << 20)) { request async throws -> Response in
                var count = 0
                var sum = 0
                for try await chunk in request.bodyStream {
                    count += chunk.count
                    for byte in chunk { sum = (sum &+ Int(byte)) & 0xFFFF }
                }
                return .text("\(request.parameters["n"] ?? ""):\(count):\(sum)")
            }
        })
    }

    static var seconds: Double {
        getenv("FUZZ_SECONDS").flatMap { Double(String(cString: $0)) } ?? 3
    }

    static var baseSeed: UInt64 {
        getenv("FUZZ_SEED").flatMap { UInt64(String(cString: $0)) } ?? 0x5EED
    }

    /// Runs scripts on one connection after another until `seconds` have passed; returns the failures
    /// (each naming its seed) and how many scripts and requests ran.
    static func run(port: Int, lane: UInt64, seconds: Double) -> (failures: [String], scripts: Int, requests: Int) {
        let end = MonotonicClock.milliseconds() + Int64(seconds * 1000)
        var failures: [String] = []
        var scripts = 0
        var requests = 0
        while MonotonicClock.milliseconds() < end, failures.count < 5 {
            let seed = baseSeed &+ lane << 32 &+ UInt64(scripts)
            var random = SplitMix(seed: seed)
            let script = FuzzScript(&random)
            scripts += 1
            requests += script.exchanges.count
            do {
                try script.play(port: port, random: &random)
            } catch {
                failures.append("seed \(seed): \(error) — script: \(script.summary)")
            }
        }
        return (failures, scripts, requests)
    }

    @Test("random pipelined scripts, split and paused at random: every request answered in order, then closed when asked")
    func randomScripts() async throws {
        let server = try Self.makeServer()
        let port = server.port
        let seconds = Self.seconds
        async let first = blocking { Self.run(port: port, lane: 1, seconds: seconds) }
        async let second = blocking { Self.run(port: port, lane: 2, seconds: seconds) }
        let results = try await [first, second]
        let failures = results.flatMap(\.failures)
        let scripts = results.reduce(0) { $0 + $1.scripts }
        let requests = results.reduce(0) { $0 + $1.requests }
        if getenv("FUZZ_SECONDS") != nil {
            print("connection fuzz: \(scripts) scripts, \(requests) requests, \(failures.count) failures, base seed \(Self.baseSeed)")
        }
        #expect(scripts > 0)
        #expect(failures.count == 0, "\(failures.prefix(3).joined(separator: "\n"))")
    }
}

/// A small, fast, seedable generator (SplitMix64), so a failing script can be replayed from its seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
