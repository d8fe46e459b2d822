import Glibc
import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Slow and hostile clients", .serialized)
struct HardeningTests {
    @Test("a head dribbled a byte at a time past headerTimeoutSeconds gets 408 and is closed")
    func headerTimeout() throws {
        let server = try TestServer(configure: { $0.headerTimeoutSeconds = 1 })
        let client = try server.client(timeoutSeconds: 5)
        var answered: TestClient.Response?
        for byte in Array("GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 40) {
            do { try client.send([byte]) } catch { break }
            usleep(100_000)
            if server.server.statusTotals()[timeout: .header] > 0 { break }
        }
        answered = try? client.readResponse()
        #expect(answered?.status == 408)
        #expect(client.isClosedByServer())
        #expect(TestServer.eventually { server.server.statusTotals()[timeout: .header] == 1 })
    }

    @Test("a new connection that sends nothing is closed after the header timeout, without a response")
    func silentConnection() throws {
        let server = try TestServer(configure: { $0.headerTimeoutSeconds = 1 })
        let client = try server.client(timeoutSeconds: 4)
        let bytes = try client.readUntilClosed()
        #expect(bytes.isEmpty)
        #expect(TestServer.eventually { server.server.statusTotals().timedOut == 1 })
    }

    @Test("a body that stalls past bodyTimeoutSeconds gets 408")
    func bodyTimeout() throws {
        let server = try TestServer(configure: { $0.bodyTimeoutSeconds = 1 }, routes: { router in
            router.post("/upload") { _ in .text("ok") }
        })
        let client = try server.client(timeoutSeconds: 4)
        try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
        #expect(try client.readResponse().status == 408)
        #expect(TestServer.eventually { server.server.statusTotals()[timeout: .body] == 1 })
    }

    @Test("a client that stops reading a response is disconnected after writeTimeoutSeconds")
    func writeTimeout() throws {
        let big = [UInt8](repeating: 0x61, count: 48 << 20)
        let server = try TestServer(configure: { $0.writeTimeoutSeconds = 1 }, routes: { router in
            router.get("/big") { _ in .bytes(big) }
        })
        let client = try server.client()
        try client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")  // and never read
        #expect(TestServer.eventually(seconds: 8) { server.server.statusTotals()[timeout: .write] == 1 })
        #expect(TestServer.eventually { server.server.statusTotals().active == 0 })
    }

    @Test("beyond maxConnections new connections get 503 and are closed; the server recovers")
    func connectionLimit() throws {
        let server = try TestServer(configure: { $0.maxConnections = 2 })
        let first = try server.client()
        let second = try server.client()
        #expect(try first.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        #expect(try second.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        let third = try server.client()
        let refused = try third.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(refused.status == 503)
        #expect(refused.header("Connection") == "close")
        #expect(third.isClosedByServer())
        first.finishSending()
        #expect(first.isClosedByServer())
        #expect(TestServer.eventually { server.server.statusTotals().active == 1 })
        #expect(try server.client().request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        #expect(server.server.statusTotals().rejected == 1)
    }

    @Test("one client address cannot take more than maxConnectionsPerClient")
    func perClientLimit() throws {
        let server = try TestServer(configure: { $0.maxConnectionsPerClient = 2 })
        let clients = try (0..<2).map { _ in try server.client() }
        for client in clients { #expect(try client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200) }
        #expect(try server.client().request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 503)
    }

    @Test("after a 413 the server keeps discarding what the client sends, instead of resetting it (lingering close)")
    func lingeringClose() throws {
        let server = try TestServer()
        let client = try server.client(timeoutSeconds: 10)
        try client.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 3000000\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.header("Connection") == "close")
        // The client, not yet aware, goes on sending the body: a plain close would answer it with a reset
        // (and a reset can destroy a response still in flight); a lingering close reads and drops it.
        let chunk = [UInt8](repeating: 0x62, count: 64 * 1024)
        var sent = 0
        for _ in 0..<45 {
            guard (try? client.send(chunk)) != nil else { break }
            sent += 1
            usleep(1000)
        }
        #expect(sent == 45, "the server reset the connection instead of discarding the body")
        #expect(client.isClosedByServer())
    }

    @Test("Expect: 100-continue with an oversized body gets 413, never 100")
    func expectTooLarge() throws {
        let server = try TestServer()
        let client = try server.client()
        let response = try client.request(
            "POST /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 99999999\r\n\r\n")
        #expect(response.status == 413)
    }

    @Test("Expect: 100-continue for a path with no route for the method gets its refusal, never 100")
    func expectRefused() throws {
        let server = try TestServer(routes: { router in
            router.get("/only-get") { _ in .text("x") }
        })
        let client = try server.client()
        let notAllowed = try client.request(
            "PUT /only-get HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        #expect(notAllowed.status == 405)
        #expect(notAllowed.header("Connection") == "close")
        let other = try server.client()
        let notFound = try other.request(
            "POST /nothing-here HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        #expect(notFound.status == 404)
    }

    @Test("after any framing error nothing else in the buffer is read as a request (no smuggling)")
    func noSmuggling() throws {
        let server = try TestServer(routes: { router in
            router.get("/admin") { _ in .text("smuggled!") }
        })
        let client = try server.client()
        try client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse().status == 400)
        let rest = String(decoding: try client.readUntilClosed(), as: UTF8.self)
        #expect(!rest.contains("smuggled"))
    }

    @Test("a drain closes what is still unfinished when shutdownGraceSeconds runs out")
    func drainGrace() throws {
        let server = try TestServer(configure: { $0.shutdownGraceSeconds = 1 })
        let client = try server.client(timeoutSeconds: 5)
        try client.send("GET / HTTP/1.1\r\nHost: t\r\n")  // a head that never ends
        usleep(100_000)
        let started = MonotonicClock.milliseconds()
        server.server.shutdown()
        server.server.wait()
        let elapsed = MonotonicClock.milliseconds() - started
        #expect(elapsed >= 900 && elapsed < 3000)
        #expect(client.isClosedByServer())
    }
}

@Suite("Back-pressure", .serialized)
struct BackPressureTests {
    @Test("a client that pipelines without reading is not answered ahead without bound; reading resumes it")
    func pipelinedWithoutReading() throws {
        let megabyte = [UInt8](repeating: 0x6D, count: 1 << 20)
        let server = try TestServer(routes: { router in
            router.get("/mb") { _ in .bytes(megabyte) }
        })
        let client = try server.client(timeoutSeconds: 10)
        try client.send(String(repeating: "GET /mb HTTP/1.1\r\nHost: t\r\n\r\n", count: 200))
        usleep(500_000)
        // The kernel's socket buffers hold a few megabytes; beyond them the server stops encoding answers.
        let answeredWhileBlocked = server.server.statusTotals().requests
        #expect(answeredWhileBlocked < 50)
        for _ in 0..<200 { #expect(try client.readResponse().body.count == 1 << 20) }
        #expect(server.server.statusTotals().requests == 200)
    }
}
