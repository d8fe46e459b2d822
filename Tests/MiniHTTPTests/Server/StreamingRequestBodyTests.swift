import Glibc
import Synchronization
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// The largest chunk a handler was handed.
final class Largest: Sendable {
    private let value = Atomic<Int>(0)
    func note(_ size: Int) {
        var current = value.load(ordering: .relaxed)
        while size > current {
            let (exchanged, original) = value.compareExchange(expected: current, desired: size, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
    var current: Int { value.load(ordering: .relaxed) }
}

@Suite("Streamed request bodies", .serialized)
struct StreamingRequestBodyTests {
    /// A server whose buffered limit is 1 KiB, with a streaming upload route allowing 8 MiB that answers
    /// the byte count and a checksum, and a buffered echo route.
    static func makeServer(largest: Largest = Largest(), delayPerChunk: Duration = .zero) throws -> TestServer {
        try TestServer(configure: { $0.maxBodyBytes = 1024 }, routes: { router in
            router.post("/upload", body: .streamed(maxBytes: 8 << 20)) { request async throws -> Response in
                var count = 0
                var sum = 0
                for try await chunk in request.bodyStream {
                    largest.note(chunk.count)
                    count += chunk.count
                    for byte in chunk { sum = (sum &+ Int(byte)) & 0xFFFF_FFFF }
                    if delayPerChunk > .zero { try await Task.sleep(for: delayPerChunk) }
                }
                return .text("\(count) \(sum)")
            }
            router.post("/echo") { request in .bytes(Array(request.body)) }
            router.post("/early", body: .streamed(maxBytes: 8 << 20)) { _ async in .text("no thanks") }
        })
    }

    /// The most a connection of that server ever buffers (the largest buffered request it could take:
    /// target + header section + 1 KiB body + slack), whatever the size of a streamed body.
    static let mostBuffered = 8192 + 65536 + 1024 + 4096

    static func payload(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } }

    static func expected(_ bytes: [UInt8]) -> String {
        "\(bytes.count) \(bytes.reduce(0) { ($0 &+ Int($1)) & 0xFFFF_FFFF })"
    }

    @Test("an upload larger than maxBodyBytes streams to its route, in chunks no larger than the read buffer")
    func largeUpload() async throws {
        let largest = Largest()
        let server = try Self.makeServer(largest: largest)
        let port = server.port
        let body = Self.payload(3 << 20)
        let (text, next) = try await blocking {
            // A bound, not a timing: 192 chunks each cross to a task and back (slow under a sanitizer).
            let client = try TestClient(port: port, timeoutSeconds: 60)
            try client.send(Array("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
                + Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok".utf8))
            return (try client.readResponse().text, try client.readResponse().text)
        }
        #expect(text == Self.expected(body))
        #expect(next == "ok")
        #expect(largest.current > 0)
        #expect(largest.current <= Self.mostBuffered)
    }

    @Test("a chunked upload streams too; other routes keep the buffered limit (413)")
    func chunkedUpload() async throws {
        let server = try Self.makeServer()
        let port = server.port
        let body = Self.payload(100_000)
        var chunked: [UInt8] = []
        var offset = 0
        while offset < body.count {
            let size = min(7_000, body.count - offset)
            chunked += Array("\(String(size, radix: 16))\r\n".utf8) + body[offset..<(offset + size)] + [13, 10]
            offset += size
        }
        chunked += Array("0\r\n\r\n".utf8)
        let request = Array("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".utf8) + chunked
        let (text, refused) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            try client.send(request)
            let text = try client.readResponse().text
            let other = try TestClient(port: port, timeoutSeconds: 20)
            let refused = try other.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n").status
            return (text, refused)
        }
        #expect(text == Self.expected(body))
        #expect(refused == 413)
    }

    @Test("over the route's own limit: 413 before reading (declared) or as soon as it is passed (chunked)")
    func overRouteLimit() async throws {
        let server = try Self.makeServer()
        let port = server.port
        let (declared, decoded) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            let declared = try client.request("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(9 << 20)\r\n\r\n").status
            let chunkedClient = try TestClient(port: port, timeoutSeconds: 20)
            let big = [UInt8](repeating: 0x41, count: 1 << 20)
            try chunkedClient.send(Array("POST /upload HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
            var status = 0
            for _ in 0..<10 {
                do {
                    try chunkedClient.send(Array("100000\r\n".utf8) + big + [13, 10])
                } catch {
                    break  // the server has answered and stopped reading
                }
            }
            status = try chunkedClient.readResponse().status
            return (declared, status)
        }
        #expect(declared == 413)
        #expect(decoded == 413)
    }

    @Test("a slow handler holds the client back rather than the server buffering the body")
    func slowConsumer() async throws {
        let largest = Largest()
        let server = try Self.makeServer(largest: largest, delayPerChunk: .milliseconds(1))
        let port = server.port
        let body = Self.payload(1 << 20)
        let text = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 30)
            try client.send(Array("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            return try client.readResponse().text
        }
        #expect(text == Self.expected(body))
        #expect(largest.current <= Self.mostBuffered)
    }

    @Test("Expect: 100-continue on a streamed route is invited at once")
    func expectContinue() async throws {
        let server = try Self.makeServer()
        let port = server.port
        let (interim, final) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse().status
            try client.send("hello")
            return (interim, try client.readResponse().text)
        }
        #expect(interim == 100)
        #expect(final == Self.expected(Array("hello".utf8)))
    }

    @Test("a handler that answers without reading its body gets its answer sent, then the connection closes")
    func earlyAnswer() async throws {
        let server = try Self.makeServer()
        let port = server.port
        let (text, connection, closed) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            try client.send("POST /early HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\nabc")
            let response = try client.readResponse()
            return (response.text, response.header("Connection"), client.isClosedByServer())
        }
        #expect(text == "no thanks")
        #expect(connection == "close")
        #expect(closed)
    }

    @Test("a client that leaves mid-body ends the handler's stream with an error")
    func clientLeaves() async throws {
        let failed = Gate()
        let server = try TestServer(routes: { router in
            router.post("/upload", body: .streamed(maxBytes: 1 << 20)) { request async throws -> Response in
                do {
                    for try await _ in request.bodyStream {}
                } catch {
                    failed.open()
                    throw error
                }
                return .text("complete")
            }
        })
        let client = try TestClient(port: server.port)
        try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\npartial")
        try await Task.sleep(for: .milliseconds(30))
        client.close()
        #expect(await eventually { failed.isOpen })
        #expect(await eventually { server.server.statusTotals().active == 0 })
    }
}
