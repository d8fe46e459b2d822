import Glibc
import Synchronization
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// A one-shot signal a test sets and an async handler awaits.
final class Gate: Sendable {
    private let opened = Atomic<Bool>(false)
    func open() { opened.store(true, ordering: .relaxed) }
    var isOpen: Bool { opened.load(ordering: .relaxed) }

    /// Waits (cancellably) until the gate opens.
    func wait() async throws {
        while !isOpen { try await Task.sleep(for: .milliseconds(2)) }
    }
}

/// The client side of these tests runs through `blocking`, so a test never holds a cooperative thread
/// that the handlers it waits for need.
@Suite("Async handlers", .serialized)
struct AsyncHandlerTests {
    static func get(_ path: String) -> String { "GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n" }

    @Test("an async handler's response is written when it returns")
    func answers() async throws {
        let server = try TestServer(routes: { router in
            router.get("/later") { _ async throws -> Response in
                try await Task.sleep(for: .milliseconds(20))
                return .text("later\n")
            }
        })
        let port = server.port
        let (text, connection, headLength) = try await blocking {
            let client = try TestClient(port: port)
            let response = try client.request(Self.get("/later"))
            let head = try client.request("HEAD /later HTTP/1.1\r\nHost: t\r\n\r\n")
            return (response.text, response.header("Connection"), head.header("Content-Length"))
        }
        #expect(text == "later\n")
        #expect(connection == "keep-alive")
        #expect(headLength == "6")
    }

    @Test("the worker goes on serving other connections while an async handler waits")
    func workerIsNotBlocked() async throws {
        let gate = Gate()
        let server = try TestServer(configure: { $0.workers = 1 }, routes: { router in
            router.get("/wait") { _ async throws -> Response in
                try await gate.wait()
                return .text("released\n")
            }
            router.get("/open") { _ in
                gate.open()
                return .text("opened\n")
            }
        })
        let port = server.port
        let texts = try await blocking {
            let waiting = try TestClient(port: port, timeoutSeconds: 20)
            try waiting.send(Self.get("/wait"))
            usleep(20_000)
            // One worker: had it blocked on /wait, this would never be answered and /wait never released.
            let other = try TestClient(port: port, timeoutSeconds: 20)
            return [try other.request(Self.get("/open")).text, try waiting.readResponse().text]
        }
        #expect(texts == ["opened\n", "released\n"])
    }

    @Test("pipelined requests behind an async one are answered in order")
    func pipelinedOrder() async throws {
        let server = try TestServer(routes: { router in
            router.get("/slow/:n") { request async throws -> Response in
                try await Task.sleep(for: .milliseconds(30))
                return .text("slow \(request.parameters["n"] ?? "")")
            }
            router.get("/fast/:n") { request in .text("fast \(request.parameters["n"] ?? "")") }
        })
        let port = server.port
        let paths = ["/slow/1", "/fast/2", "/slow/3", "/fast/4", "/fast/5", "/slow/6"]
        let texts = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            try client.send(paths.map(Self.get).joined())
            return try paths.map { _ in try client.readResponse().text }
        }
        #expect(texts == ["slow 1", "fast 2", "slow 3", "fast 4", "fast 5", "slow 6"])
    }

    @Test("an async handler gets the request body, chunked or not")
    func body() async throws {
        let server = try TestServer(routes: { router in
            router.post("/echo") { request async in
                await Task.yield()
                return .bytes(Array(request.body))
            }
        })
        let port = server.port
        let answers = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            return [
                try client.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello").text,
                try client.request("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").text,
                String(try client.request(Self.get("/")).status),
            ]
        }
        #expect(answers == ["hello", "abcde", "200"])
    }

    @Test("an async handler that throws is answered 500 and the connection goes on")
    func throwing() async throws {
        struct Failure: Error {}
        let server = try TestServer(routes: { router in
            router.get("/fail") { _ async throws -> Response in
                await Task.yield()
                throw Failure()
            }
        })
        let port = server.port
        let statuses = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            return [try client.request(Self.get("/fail")).status, try client.request(Self.get("/")).status]
        }
        #expect(statuses == [500, 200])
    }

    @Test("a client that resets its connection while its handler runs frees it at once; the task is cancelled")
    func clientGoesAway() async throws {
        let started = Gate()
        let cancelled = Gate()
        let server = try TestServer(routes: { router in
            router.get("/forever") { _ async throws -> Response in
                started.open()
                do {
                    try await Task.sleep(for: .seconds(30))
                } catch {
                    cancelled.open()
                    throw error
                }
                return .text("too late\n")
            }
        })
        let port = server.port
        let client = try TestClient(port: port)
        try client.send(Self.get("/forever"))
        #expect(await eventually { started.isOpen })
        client.reset()
        #expect(await eventually { server.server.statusTotals().active == 0 })
        #expect(await eventually { cancelled.isOpen })
        #expect(server.server.statusTotals().abandonedResponses == 1)
        let status = try await blocking { try TestClient(port: port).request(Self.get("/")).status }
        #expect(status == 200)
    }

    @Test("a drain waits for a running async handler, then closes")
    func drainWaits() async throws {
        let gate = Gate()
        let server = try TestServer(routes: { router in
            router.get("/wait") { _ async throws -> Response in
                try await gate.wait()
                return .text("done\n")
            }
        })
        let client = try TestClient(port: server.port, timeoutSeconds: 20)
        try client.send(Self.get("/wait"))
        #expect(await eventually { server.server.statusTotals().active == 1 })
        server.server.shutdown()
        try await Task.sleep(for: .milliseconds(50))
        gate.open()
        let (text, connection, closed) = try await blocking {
            let response = try client.readResponse()
            return (response.text, response.header("Connection"), client.isClosedByServer())
        }
        #expect(text == "done\n")
        #expect(connection == "close")
        #expect(closed)
    }
}
