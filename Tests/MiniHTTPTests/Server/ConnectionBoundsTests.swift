import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// What a hostile or careless client can make a connection hold or do: every state has an input budget,
/// and a turn of the worker always makes progress or waits.
@Suite("Connection bounds", .serialized)
struct ConnectionBoundsTests {
    static let crlfs = String(repeating: "\r\n", count: 30_000)  // 60,000 bytes of empty lines

    /// Sends `request` on one connection and, meanwhile, checks that another client of the same (only)
    /// worker is answered: the worker is not stuck on the first.
    static func workerStaysResponsive(_ server: TestServer, sending request: [UInt8]) async throws -> Int {
        let port = server.port
        let (other, hostile) = try await blocking {
            let hostile = try TestClient(port: port, timeoutSeconds: 10)
            try hostile.send(request)
            let other = try TestClient(port: port, timeoutSeconds: 2)
            return (try other.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status, try hostile.readResponse().status)
        }
        #expect(other == 200)
        return hostile
    }

    @Test("60,000 bytes of leading empty lines before a large request do not freeze the worker")
    func leadingEmptyLinesAndALargeRequest() async throws {
        let server = try TestServer(configure: { $0.workers = 1 }, routes: { router in
            router.post("/upload") { request in .text("\(request.body.count)\n") }
        })
        let field = "X-Filler: " + String(repeating: "f", count: 20_000) + "\r\n"
        let body = [UInt8](repeating: 0x62, count: 1 << 20)
        let head = Self.crlfs + "POST /upload HTTP/1.1\r\nHost: t\r\n" + field + "Content-Length: \(body.count)\r\n\r\n"
        let status = try await Self.workerStaysResponsive(server, sending: Array(head.utf8) + body)
        #expect(status == 400)  // more than 4 empty lines before the request line
    }

    @Test("a request at the limits (4 empty lines, a 60 KB field, a 1 MiB body) is served whole")
    func requestAtTheLimits() async throws {
        let server = try TestServer(configure: { $0.workers = 1 }, routes: { router in
            router.post("/upload") { request in .text("\(request.body.count)\n") }
        })
        let field = "X-Filler: " + String(repeating: "f", count: 60_000) + "\r\n"
        let body = [UInt8](repeating: 0x62, count: 1 << 20)
        let head = "\r\n\r\n\r\n\r\nPOST /upload HTTP/1.1\r\nHost: t\r\n" + field + "Content-Length: \(body.count)\r\n\r\n"
        let port = server.port
        let text = try await blocking {
            try TestClient(port: port, timeoutSeconds: 10).request(head + String(decoding: body, as: UTF8.self)).text
        }
        #expect(text == "1048576\n")
    }

    @Test("with maxBodyBytes 1024, an 81 KB request (mostly empty lines) is answered, the worker goes on")
    func smallBodyLimitAndLeadingEmptyLines() async throws {
        let server = try TestServer(configure: { $0.workers = 1; $0.maxBodyBytes = 1024 }, routes: { router in
            router.post("/upload") { request in .text("\(request.body.count)\n") }
        })
        let field = "X-Filler: " + String(repeating: "f", count: 20_000) + "\r\n"
        let head = Self.crlfs + "POST /upload HTTP/1.1\r\nHost: t\r\n" + field + "Content-Length: 1024\r\n\r\n"
        let status = try await Self.workerStaysResponsive(
            server, sending: Array(head.utf8) + [UInt8](repeating: 0x62, count: 1024))
        #expect(status == 400)
    }

    @Test("a PROXY v2 header longer than its budget is refused with 400, and the worker goes on")
    func largeProxyHeader() throws {
        let server = try TestServer(configure: {
            $0.workers = 1
            $0.trustedProxies = ["127.0.0.1"]
            $0.proxyProtocol = true
        })
        let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
        // Version 2, PROXY, TCP over IPv4, and 65,535 bytes of addresses and TLVs.
        let header = signature + [0x21, 0x11, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 65_535)
        let hostile = try server.client(timeoutSeconds: 10)
        try? hostile.send(header)
        let bytes = try hostile.readUntilClosed()
        #expect(String(decoding: bytes.prefix(12), as: UTF8.self) == "HTTP/1.1 400")
        // A well-behaved proxy connection on the same worker is still served.
        let good = try server.client(timeoutSeconds: 2)
        try good.send(Array("PROXY TCP4 203.0.113.7 127.0.0.1 5555 80\r\n".utf8))
        #expect(try good.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
    }

    @Test("a client that pipelines without reading gets no more than a buffer of its requests read")
    func pipeliningWithoutReadingIsBounded() throws {
        let server = try TestServer(configure: { $0.workers = 1 })
        server.publicFolder.write("page.html", String(repeating: "p", count: 64 * 1024))
        let client = try server.client(timeoutSeconds: 10)
        client.setReceiveBuffer(4096)
        let request = Array("GET /page.html HTTP/1.1\r\nHost: t\r\n\r\n".utf8)
        // Write as much as the kernel takes without reading anything back (at most 4 MB).
        var sent = 0
        let flags = fcntl(client.fd, F_GETFL)
        _ = fcntl(client.fd, F_SETFL, flags | O_NONBLOCK)
        for _ in 0..<100_000 {
            let n = request.withUnsafeBytes { Glibc.send(client.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
        usleep(300_000)
        let received = server.server.statusTotals().bytesReceived
        // Before: ~1 MiB of future requests buffered per connection. Now: one 16 KiB buffer, read only while
        // the answers are not backed up.
        #expect(sent > 1 << 20)
        #expect(received <= 64 * 1024)
    }

    @Test("an async handler's answer is sent when the client half-closes right after its request")
    func halfCloseAfterAnAsyncRequest() async throws {
        let server = try TestServer(routes: { router in
            router.get("/later") { _ async throws -> Response in
                try await Task.sleep(for: .milliseconds(50))
                return .text("later\n")
            }
        })
        let port = server.port
        let (text, closed) = try await blocking {
            let client = try TestClient(port: port)
            try client.send("GET /later HTTP/1.1\r\nHost: t\r\n\r\n")
            client.finishSending()
            let response = try client.readResponse()
            return (response.text, client.isClosedByServer())
        }
        #expect(text == "later\n")
        #expect(closed)
        #expect(server.server.statusTotals().abandonedResponses == 0)
    }

    @Test("a streamed response is sent whole when the client half-closes right after its request")
    func halfCloseAfterAStreamedRequest() async throws {
        let server = try TestServer(routes: { router in
            router.get("/ticks") { _ in
                .stream { writer in
                    for tick in 0..<5 {
                        try await writer.write("tick \(tick)\n")
                        try await Task.sleep(for: .milliseconds(10))
                    }
                }
            }
        })
        let port = server.port
        let text = try await blocking {
            // A bound, not a timing: under a sanitizer the producer's task may wait long for a thread.
            let client = try TestClient(port: port, timeoutSeconds: 30)
            try client.send("GET /ticks HTTP/1.1\r\nHost: t\r\n\r\n")
            client.finishSending()
            return try client.readResponse().text
        }
        #expect(text == "tick 0\ntick 1\ntick 2\ntick 3\ntick 4\n")
    }

    @Test("a streamed-body route that answers early with a stream gets the whole stream sent, then closes")
    func earlyStreamedAnswerToAStreamedBody() async throws {
        let server = try TestServer(routes: { router in
            router.post("/upload", body: .streamed(maxBytes: 1 << 20)) { _ async throws -> Response in
                .stream { writer in
                    for part in ["one\n", "two\n", "three\n"] { try await writer.write(part) }
                }
            }
        })
        let port = server.port
        let (text, closed) = try await blocking {
            let client = try TestClient(port: port)
            try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\nstart")
            let response = try client.readResponse()
            return (response.text, client.isClosedByServer())
        }
        #expect(text == "one\ntwo\nthree\n")
        #expect(closed)
    }

    @Test("a body no handler would read is not buffered: 405/404 at once, then a lingering close", arguments: [
        "POST /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n",
        "PUT /nowhere HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n",
    ])
    func unreadBodiesAreNotBuffered(head: String) async throws {
        let server = try TestServer(configure: { $0.workers = 1 })
        let port = server.port
        let (status, connection) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 5)
            try client.send(head + String(repeating: "x", count: 100_000))  // and then the client stalls
            let response = try client.readResponse()
            return (response.status, response.header("Connection"))
        }
        #expect(status == 405 || status == 404)
        #expect(connection == "close")
        // Before: the server read on toward the declared 1 MB and held it in memory until the body was whole.
        #expect(server.server.statusTotals().bytesReceived < 64 * 1024 + head.utf8.count)
    }

    @Test("a small body no handler reads is read and dropped: the connection goes on to the next request")
    func smallIgnoredBodyKeepsTheConnection() async throws {
        let server = try TestServer()
        let port = server.port
        let statuses = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 5)
            try client.send("POST /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                + "GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            return [try client.readResponse().status, try client.readResponse().status]
        }
        #expect(statuses == [405, 200])
    }

    @Test("a client that sends a large ignored body before reading still gets its answer (no deadlock)")
    func largeIgnoredBodySentBeforeReading() async throws {
        let server = try TestServer(configure: { $0.workers = 1; $0.maxBodyBytes = 64 << 20 })
        server.publicFolder.write("big.txt", String(repeating: "b", count: 8 << 20))
        let port = server.port
        let length = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 10)
            client.setReceiveBuffer(16 * 1024)
            // More than the kernel's buffers on both sides hold: the server must read while it writes.
            let body = [UInt8](repeating: 0x78, count: 32 << 20)
            try client.send(Array("GET /big.txt HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            return try client.readResponse().body.count
        }
        #expect(length == 8 << 20)
    }

    @Test("a flood of empty lines between requests is refused (400) after the parser's allowance")
    func emptyLineFlood() async throws {
        let server = try TestServer(configure: { $0.workers = 1 })
        let port = server.port
        let (first, flooded, other) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 5)
            let first = try client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status
            try? client.send(String(repeating: "\r\n", count: 100_000))
            let flooded = try client.readResponse().status
            let other = try TestClient(port: port, timeoutSeconds: 2).request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status
            return (first, flooded, other)
        }
        #expect([first, flooded, other] == [200, 400, 200])
    }
}
