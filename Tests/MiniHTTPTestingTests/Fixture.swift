import Foundation
import MiniHTTP
import MiniHTTPTesting
import Synchronization
import Testing

/// Every test of this target runs one after another: the cleanup test counts the process's threads
/// and sockets, which the others would disturb.
@Suite(.serialized) struct MiniHTTPTestingTests {}

/// Where a test's server runs.
enum Mode: String, CaseIterable, CustomTestStringConvertible {
    case inProcess, live
    var testDescription: String { rawValue }
}

struct Todo: Codable, Equatable {
    var id: Int
    var title: String
    var due: Date
}

/// Lets a test hold a handler until it says so (no sleeps).
final class Gate: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream<Void>.makeStream()
    }

    func wait() async {
        for await _ in stream { return }
    }

    func open() {
        continuation.finish()
    }
}

enum Fixture {
    static let due = Date(timeIntervalSince1970: 1_767_323_045)  // 2026-01-02T03:04:05Z

    /// The routes the tests exercise: sync, async, streamed response, streamed request body, JSON, form.
    static func router(gate: Gate = Gate()) -> Router {
        var router = Router()
        router.get("/hello") { _ in .text("Hello") }
        router.get("/async") { request async in
            await Task.yield()
            return .text("async \(request.query("n") ?? "-")")
        }
        router.get("/stream") { _ in
            .stream(contentType: "text/plain") { writer in
                for part in ["one,", "two,", "three"] { try await writer.write(part) }
            }
        }
        router.get("/todos") { request in
            guard request.headers["Authorization"] == "Bearer k" else { return .status(.unauthorized) }
            let limit = Int(request.query("limit") ?? "") ?? 10
            let todos = (1...3).prefix(limit).map { "{\"id\":\($0),\"title\":\"t\($0)\",\"due\":\"2026-01-02T03:04:05Z\"}" }
            return .bytes(Array("[\(todos.joined(separator: ","))]".utf8), contentType: "application/json")
        }
        router.post("/todos") { request in
            // Echoes the body back with its content type: what the client encoded is what arrived.
            .bytes(Array(request.body), contentType: request.headers["Content-Type"] ?? "none", status: .created)
        }
        router.post("/form") { request in .text(request.bodyText) }
        router.post("/upload", body: .streamed(maxBytes: 1 << 20)) { request async throws in
            var chunks = 0
            var bytes = 0
            for try await chunk in request.bodyStream {
                chunks += 1
                bytes += chunk.count
            }
            return .text("\(bytes) bytes")
        }
        router.get("/held") { _ async in
            await gate.wait()
            return .text("released")
        }
        router.get("/client") { request in .text(request.remoteAddress) }
        return router
    }

    /// Generous: these tests share the process with MiniHTTPTests, whose synchronous tests hold the
    /// cooperative pool's threads (two here) for seconds at a time, and async handlers wait for them.
    static let timeout = Duration.seconds(30)

    /// Runs `body` against `router` in `mode`, shutting the server down after.
    static func withClient<T>(
        _ mode: Mode, router: Router = Fixture.router(), configuration: ServerConfig = TestClient.defaultConfiguration,
        timeout: Duration = Fixture.timeout, _ body: (TestClient) async throws -> T
    ) async throws -> T {
        switch mode {
        case .inProcess:
            try await TestClient.inProcess(router: router, configuration: configuration, timeout: timeout, body)
        case .live:
            try await TestClient.live(router: router, configuration: configuration, timeout: timeout, body)
        }
    }
}
