import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Deadlines tested at their own timescale: activity that lasts longer than the timeout it must not trip.
/// The clients run on threads of their own (`blocking`): these tests wait for seconds, and must not hold
/// the cooperative threads that other tests' async handlers need meanwhile.
@Suite("Connection lifetime", .serialized)
struct ConnectionLifetimeTests {
    static let get = "GET / HTTP/1.1\r\nHost: t\r\n\r\n"

    @Test("20 busy keep-alive connections (a request every 0.5 s for 7 s, keep-alive 2 s) see no EOF")
    func busyKeepAliveConnectionsStayOpen() async throws {
        let server = try TestServer(configure: { $0.keepAliveTimeoutSeconds = 2 })
        let port = server.port
        let (failures, rounds) = try await blocking { try Self.requestEveryHalfSecond(port: port, clients: 20) }
        #expect(failures == 0)
        #expect(rounds >= 13)
    }

    static func requestEveryHalfSecond(port: Int, clients count: Int) throws -> (failures: Int, rounds: Int64) {
        let clients = try (0..<count).map { _ in try TestClient(port: port, timeoutSeconds: 3) }
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
        return (failures, round)
    }

    @Test("an idle keep-alive connection is closed within keep-alive + 1 s")
    func idleConnectionCloses() async throws {
        let server = try TestServer(configure: { $0.keepAliveTimeoutSeconds = 2 })
        let port = server.port
        let (status, closed, idle) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 6)
            let status = try client.request(Self.get).status
            let answered = MonotonicClock.milliseconds()
            let closed = client.isClosedByServer()
            return (status, closed, MonotonicClock.milliseconds() - answered)
        }
        #expect(status == 200 && closed)
        #expect(idle >= 1900 && idle <= 3000)
    }

    @Test("after a response the client read slowly, the keep-alive timeout runs from its last byte")
    func idleAfterASlowRead() async throws {
        let megabytes = [UInt8](repeating: 0x61, count: 8 << 20)
        let server = try TestServer(configure: { $0.keepAliveTimeoutSeconds = 2 }, routes: { router in
            router.get("/big") { _ in .bytes(megabytes) }
        })
        let port = server.port
        let (length, status, closed, idle) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 6)
            client.setReceiveBuffer(16 * 1024)
            try client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            usleep(2_500_000)  // longer than the keep-alive timeout: the write deadline applies meanwhile
            let length = try client.readResponse().body.count
            let finished = MonotonicClock.milliseconds()
            let status = try client.request(Self.get).status  // still open right after
            let closed = client.isClosedByServer()
            return (length, status, closed, MonotonicClock.milliseconds() - finished)
        }
        #expect(length == megabytes.count && status == 200 && closed)
        #expect(idle >= 1900 && idle <= 3200)
    }

    @Test("each pipelined head gets its own header timeout (3 s): heads completed 1.7 s apart are all answered")
    func pipelinedHeadsHaveTheirOwnHeaderTimeout() async throws {
        let server = try TestServer(configure: { $0.headerTimeoutSeconds = 3 })
        let port = server.port
        let statuses = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 6)
            try client.send(Self.get + "GET / HTTP/1.1\r\nHo")
            usleep(1_700_000)
            try client.send("st: t\r\n\r\nGET / HTTP/1.1\r\n")
            usleep(1_700_000)
            try client.send("Host: t\r\n\r\n")
            return try (0..<3).map { _ in try client.readResponse().status }
        }
        #expect(statuses == [200, 200, 200])
    }

    @Test("a head that does not complete within the header timeout is answered 408, then closed")
    func slowHeadTimesOut() async throws {
        let server = try TestServer(configure: { $0.headerTimeoutSeconds = 1 })
        let port = server.port
        let (bytes, waited) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 4)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n")
            let started = MonotonicClock.milliseconds()
            let bytes = try client.readUntilClosed()
            return (bytes, MonotonicClock.milliseconds() - started)
        }
        #expect(String(decoding: bytes.prefix(12), as: UTF8.self) == "HTTP/1.1 408")
        #expect(waited >= 900 && waited < 2000)
        #expect(await eventually { server.server.statusTotals()[timeout: .header] == 1 })
    }

    static let bigFile = [UInt8](repeating: 0x62, count: 8 << 20)

    @Test("a closing response is delivered whole although the client sent another request meanwhile (no reset)")
    func closingWithUnreadInputLingers() async throws {
        let server = try TestServer(configure: { $0.maxRequestsPerConnection = 1 }, routes: { router in
            router.get("/big") { _ in .bytes(Self.bigFile) }
        })
        let port = server.port
        let (length, connection) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 6)
            client.setReceiveBuffer(64 * 1024)
            try client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            usleep(200_000)
            try client.send(Self.get)  // unread by the server: closing must not reset it
            let response = try client.readResponse()
            return (response.body.count, response.header("Connection"))
        }
        #expect(length == Self.bigFile.count)
        #expect(connection == "close")
    }

    @Test("an empty line after a request leaves the connection idle: no 408, the next request is answered")
    func emptyLineAfterABody() async throws {
        let server = try TestServer(configure: { $0.headerTimeoutSeconds = 1; $0.keepAliveTimeoutSeconds = 3 },
                                    routes: { router in router.post("/echo") { request in .bytes(Array(request.body)) } })
        let port = server.port
        let (first, second) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 6)
            let first = try client.request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok\r\n")
            try client.send("\r")  // and another empty line, its CR and LF apart
            usleep(100_000)
            try client.send("\n")
            usleep(1_500_000)  // past the header timeout, within keep-alive
            let second = try client.request(Self.get)
            return (first.text, second.status)
        }
        #expect(first == "ok")
        #expect(second == 200)
    }

    @Test("a head pipelined behind a download that took longer than the header timeout is answered")
    func pipelinedHeadAfterASlowDownload() async throws {
        let server = try TestServer(configure: { $0.headerTimeoutSeconds = 1 }, routes: { router in
            router.get("/big") { _ in .bytes(Self.bigFile) }
        })
        let port = server.port
        let (length, status) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 6)
            client.setReceiveBuffer(16 * 1024)
            try client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\n")
            usleep(1_500_000)  // busy: not reading, not sending
            let length = try client.readResponse().body.count
            try client.send("Host: t\r\n\r\n")
            return (length, try client.readResponse().status)
        }
        #expect(length == Self.bigFile.count)
        #expect(status == 200)
    }

    @Test("after a slow synchronous handler, the keep-alive timeout runs from the response, not from before it")
    func keepAliveAfterASlowHandler() async throws {
        let server = try TestServer(configure: { $0.keepAliveTimeoutSeconds = 2; $0.workers = 1 }, routes: { router in
            router.get("/slow") { _ in
                usleep(1_500_000)
                return .text("slow\n")
            }
        })
        let port = server.port
        let statuses = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 6)
            let first = try client.request("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n").status
            // Another client keeps the worker's loop turning (and its deadlines swept) meanwhile.
            let other = try TestClient(port: port, timeoutSeconds: 6)
            for _ in 0..<10 {
                _ = try other.request(Self.get)
                usleep(100_000)
            }
            return [first, try client.request(Self.get).status]
        }
        #expect(statuses == [200, 200])
    }
}
