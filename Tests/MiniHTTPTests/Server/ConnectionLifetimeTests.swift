import Glibc
import Testing
@testable import MiniHTTP

/// Deadlines tested at their own timescale: activity that lasts longer than the timeout it must not trip.
@Suite("Connection lifetime", .serialized)
struct ConnectionLifetimeTests {
    static let get = "GET / HTTP/1.1\r\nHost: t\r\n\r\n"

    @Test("20 busy keep-alive connections (a request every 0.5 s for 7 s, keep-alive 2 s) see no EOF")
    func busyKeepAliveConnectionsStayOpen() throws {
        let server = try TestServer(configure: { $0.keepAliveTimeoutSeconds = 2 })
        let clients = try (0..<20).map { _ in try server.client(timeoutSeconds: 3) }
        var failures = 0
        let start = MonotonicClock.milliseconds()
        var round: Int64 = 0
        while MonotonicClock.milliseconds() - start < 7000 {
            for client in clients {
                do {
                    if try client.request(Self.get).status != 200 { failures += 1 }
                } catch {
                    failures += 1
                }
            }
            round += 1
            let next = start + round * 500
            let wait = next - MonotonicClock.milliseconds()
            if wait > 0 { usleep(useconds_t(wait * 1000)) }
        }
        #expect(failures == 0)
        #expect(round >= 13)
    }

    @Test("an idle keep-alive connection is closed within keep-alive + 1 s")
    func idleConnectionCloses() throws {
        let server = try TestServer(configure: { $0.keepAliveTimeoutSeconds = 2 })
        let client = try server.client(timeoutSeconds: 6)
        #expect(try client.request(Self.get).status == 200)
        let answered = MonotonicClock.milliseconds()
        #expect(client.isClosedByServer())
        let idle = MonotonicClock.milliseconds() - answered
        #expect(idle >= 1900 && idle <= 3000)
    }

    @Test("after a response the client read slowly, the keep-alive timeout runs from its last byte")
    func idleAfterASlowRead() throws {
        let megabytes = [UInt8](repeating: 0x61, count: 8 << 20)
        let server = try TestServer(configure: { $0.keepAliveTimeoutSeconds = 2 }, routes: { router in
            router.get("/big") { _ in .bytes(megabytes) }
        })
        let client = try server.client(timeoutSeconds: 6)
        client.setReceiveBuffer(16 * 1024)
        try client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(2_500_000)  // longer than the keep-alive timeout: the write deadline applies meanwhile
        #expect(try client.readResponse().body.count == megabytes.count)
        let finished = MonotonicClock.milliseconds()
        #expect(try client.request(Self.get).status == 200)  // still open right after
        #expect(client.isClosedByServer())
        let idle = MonotonicClock.milliseconds() - finished
        #expect(idle >= 1900 && idle <= 3200)
    }

    @Test("each pipelined head gets its own header timeout (3 s): heads completed 1.7 s apart are all answered")
    func pipelinedHeadsHaveTheirOwnHeaderTimeout() throws {
        let server = try TestServer(configure: { $0.headerTimeoutSeconds = 3 })
        let client = try server.client(timeoutSeconds: 6)
        try client.send(Self.get + "GET / HTTP/1.1\r\nHo")
        usleep(1_700_000)
        try client.send("st: t\r\n\r\nGET / HTTP/1.1\r\n")
        usleep(1_700_000)
        try client.send("Host: t\r\n\r\n")
        let statuses = try (0..<3).map { _ in try client.readResponse().status }
        #expect(statuses == [200, 200, 200])
    }

    @Test("a head that does not complete within the header timeout is answered 408, then closed")
    func slowHeadTimesOut() throws {
        let server = try TestServer(configure: { $0.headerTimeoutSeconds = 1 })
        let client = try server.client(timeoutSeconds: 4)
        try client.send("GET / HTTP/1.1\r\nHost: t\r\n")
        let started = MonotonicClock.milliseconds()
        let bytes = try client.readUntilClosed()
        let waited = MonotonicClock.milliseconds() - started
        #expect(String(decoding: bytes.prefix(12), as: UTF8.self) == "HTTP/1.1 408")
        #expect(waited >= 900 && waited < 2000)
        #expect(TestServer.eventually { server.server.statusTotals()[timeout: .header] == 1 })
    }
}
