import Glibc
import Synchronization
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// A count a producer updates and a test reads.
final class Tally: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ amount: Int) { value.add(amount, ordering: .relaxed) }
    var current: Int { value.load(ordering: .relaxed) }
}

@Suite("Streamed response bodies", .serialized)
struct StreamingResponseTests {
    static func get(_ path: String, version: String = "1.1") -> String { "GET \(path) HTTP/\(version)\r\nHost: t\r\n\r\n" }

    @Test("an HTTP/1.1 client gets the parts as chunks, and the next pipelined request is answered after")
    func chunked() async throws {
        let server = try TestServer(routes: { router in
            router.get("/parts") { _ in
                .stream(contentType: "text/plain") { writer in
                    for part in ["one ", "two ", "three"] {
                        try await writer.write(part)
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
            }
            router.get("/after") { _ in .text("after") }
        })
        let port = server.port
        let (encoding, text, connection, after) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            try client.send(Self.get("/parts") + Self.get("/after"))
            let streamed = try client.readResponse()
            return (streamed.header("Transfer-Encoding"), streamed.text, streamed.header("Connection"),
                    try client.readResponse().text)
        }
        #expect(encoding == "chunked")
        #expect(text == "one two three")
        #expect(connection == "keep-alive")
        #expect(after == "after")
    }

    @Test("an HTTP/1.0 client gets the body delimited by the connection's close")
    func closeDelimited() async throws {
        let server = try TestServer(routes: { router in
            router.get("/parts") { _ in .stream { writer in try await writer.write("a"); try await writer.write("b") } }
        })
        let port = server.port
        let raw = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            try client.send(Self.get("/parts", version: "1.0"))
            return String(decoding: try client.readUntilClosed(), as: UTF8.self)
        }
        #expect(raw.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(raw.contains("Connection: close\r\n"))
        #expect(!raw.contains("Transfer-Encoding"))
        #expect(!raw.contains("Content-Length"))
        #expect(raw.hasSuffix("\r\n\r\nab"))
    }

    @Test("HEAD gets the head only; the producer does not run")
    func head() async throws {
        let ran = Gate()
        let server = try TestServer(routes: { router in
            router.get("/parts") { _ in .stream { writer in ran.open(); try await writer.write("x") } }
        })
        let port = server.port
        let (status, next) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            let head = try client.request("HEAD /parts HTTP/1.1\r\nHost: t\r\n\r\n")
            return (head.status, try client.request(Self.get("/")).status)
        }
        #expect(status == 200)
        #expect(next == 200)
        #expect(!ran.isOpen)
    }

    @Test("a producer faster than its client is held back: memory stays bounded")
    func backPressure() async throws {
        let written = Tally()
        let server = try TestServer(routes: { router in
            router.get("/endless") { _ in
                .stream { writer in
                    let piece = [UInt8](repeating: 0x61, count: 64 * 1024)
                    while true {
                        try await writer.write(piece)
                        written.add(piece.count)
                    }
                }
            }
        })
        let client = try TestClient(port: server.port, timeoutSeconds: 20)
        client.setReceiveBuffer(64 * 1024)
        try client.send(Self.get("/endless"))
        // The client reads nothing for a second. Unchecked, the producer would write gigabytes in that time;
        // held back, it stops once the kernel's socket buffers (about 4 MiB here) and the server's bound
        // (64 KiB) are full.
        try await Task.sleep(for: .seconds(1))
        let total = written.current
        #expect(total > 0)
        #expect(total < 16 << 20)
        client.close()
        #expect(await eventually { server.server.statusTotals().active == 0 })
    }

    @Test("a client that leaves ends the producer: write throws, the connection is freed")
    func clientLeaves() async throws {
        let ended = Gate()
        let server = try TestServer(routes: { router in
            router.get("/ticks") { _ in
                .stream { writer in
                    do {
                        while true {
                            try await writer.write("tick\n")
                            try await Task.sleep(for: .milliseconds(5))
                        }
                    } catch {
                        ended.open()
                        throw error
                    }
                }
            }
        })
        let client = try TestClient(port: server.port, timeoutSeconds: 20)
        try client.send(Self.get("/ticks"))
        try await Task.sleep(for: .milliseconds(50))
        client.close()
        #expect(await eventually { ended.isOpen })
        #expect(await eventually { server.server.statusTotals().active == 0 })
    }

    @Test("a producer that throws cuts the body short: no last chunk, the connection closes")
    func producerFails() async throws {
        struct Failure: Error {}
        let server = try TestServer(routes: { router in
            router.get("/broken") { _ in
                .stream { writer in
                    try await writer.write("partial")
                    throw Failure()
                }
            }
        })
        let port = server.port
        let raw = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 20)
            try client.send(Self.get("/broken"))
            return String(decoding: try client.readUntilClosed(), as: UTF8.self)
        }
        #expect(raw.contains("Transfer-Encoding: chunked\r\n"))
        #expect(raw.hasSuffix("7\r\npartial\r\n"))
    }

    @Test("an async handler can answer with a stream")
    func fromAsyncHandler() async throws {
        let server = try TestServer(routes: { router in
            router.get("/events") { _ async throws -> Response in
                try await Task.sleep(for: .milliseconds(5))
                return .stream(contentType: "text/event-stream") { writer in
                    for index in 1...3 { try await writer.write("data: \(index)\n\n") }
                }
            }
        })
        let port = server.port
        let (type, text) = try await blocking {
            let response = try TestClient(port: port, timeoutSeconds: 20).request(Self.get("/events"))
            return (response.header("Content-Type"), response.text)
        }
        #expect(type == "text/event-stream")
        #expect(text == "data: 1\n\ndata: 2\n\ndata: 3\n\n")
    }
}
