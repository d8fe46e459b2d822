import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Serving end to end", .serialized)
struct ServingTests {
    @Test("HEAD gets the headers of GET without the body")
    func head() throws {
        let server = try TestServer()
        let client = try server.client()
        let get = try client.request("GET /assets/app.js HTTP/1.1\r\nHost: t\r\n\r\n")
        let head = try client.request("HEAD /assets/app.js HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == get.header("Content-Length"))
        #expect(head.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(try client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)  // framing intact after HEAD
    }

    @Test("responses carry Date and Server")
    func standardFields() throws {
        let server = try TestServer()
        let response = try server.client().request("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.header("Server") == "minihttp")
        let date = response.header("Date") ?? ""
        #expect(date.hasSuffix(" GMT") && date.count == 29)
    }

    @Test("code routes win over static files")
    func routesFirst() throws {
        let server = try TestServer(routes: { router in
            router.get("/index.html") { _ in .text("from code") }
        })
        #expect(try server.client().request("GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n").text == "from code")
    }

    @Test("a large file arrives whole (sendfile, resumed when the socket drains)")
    func largeFile() throws {
        let server = try TestServer()
        let content = String(repeating: "0123456789abcdef", count: 256 * 1024)  // 4 MiB
        server.publicFolder.write("big.bin", content)
        let client = try server.client(timeoutSeconds: 10)
        let response = try client.request("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.body.count == content.utf8.count)
        #expect(response.body.elementsEqual(content.utf8))
        #expect(try client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
    }

    @Test("/status is a JSON object with the documented fields, and counts requests")
    func status() throws {
        let server = try TestServer()
        let client = try server.client()
        for _ in 0..<3 { _ = try client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n") }
        _ = try client.request("GET /missing HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.request("GET /status HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.header("Content-Type") == "application/json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(json["status"] as? String == "ok")
        #expect(json["version"] as? String == ServerStatus.version)
        #expect(json["workers"] as? Int == 2)
        #expect((json["started_at"] as? String)?.hasSuffix("Z") == true)
        #expect(json["uptime_seconds"] as? Int != nil)
        let connections = try #require(json["connections"] as? [String: Any])
        #expect(connections["active"] as? Int == 1)
        #expect(connections["accepted"] as? Int == 1)
        for key in ["closed_by_peer", "timed_out"] { #expect(connections[key] as? Int == 0) }
        let requests = try #require(json["requests"] as? [String: Any])
        #expect(requests["total"] as? Int == 4)
        #expect(requests["2xx"] as? Int == 3)
        #expect(requests["4xx"] as? Int == 1)
        let bytes = try #require(json["bytes"] as? [String: Any])
        #expect((bytes["received"] as? Int ?? 0) > 0)
        #expect((bytes["sent"] as? Int ?? 0) > 0)
    }

    @Test("/status says draining once shutdown has begun")
    func draining() throws {
        let server = try TestServer()
        let client = try server.client()
        _ = try client.send("GET / HTTP/1.1\r\nHost: t\r\n")  // a request in flight keeps the worker draining
        server.server.shutdown()
        try client.send("\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        let statusText = String(decoding: server.server.statusDocument(), as: UTF8.self)
        #expect(statusText.contains("\"status\":\"draining\""))
    }

    @Test("a request split across reads keeps its body through the route (POST echo)")
    func echoLargeBody() throws {
        let server = try TestServer(routes: { router in
            router.post("/echo") { request in .bytes(Array(request.body)) }
        })
        let body = String(repeating: "x", count: 300_000)
        let response = try server.client().request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        #expect(response.body.count == 300_000)
    }

    @Test("200 concurrent keep-alive clients × 20 requests all succeed")
    func concurrentClients() throws {
        // Timeouts far away: this is about concurrency, and under ThreadSanitizer everything is slow.
        let server = try TestServer(configure: {
            $0.headerTimeoutSeconds = 300
            $0.keepAliveTimeoutSeconds = 300
        })
        let port = server.port
        let failures = Failures()
        let group = DispatchGroup()
        for _ in 0..<200 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    // Generous: under ThreadSanitizer the server runs many times slower.
                    let client = try TestClient(port: port, timeoutSeconds: 90)
                    for _ in 0..<20 {
                        guard try client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200 else {
                            failures.add()
                            return
                        }
                    }
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        #expect(group.wait(timeout: .now() + 180) == .success)
        #expect(failures.count == 0, "\(failures.first ?? "")")
        #expect(TestServer.eventually { server.server.statusTotals().requests == 4000 })
    }

    @Test("10,000 connect/request/close cycles leave no more descriptors open than the first 100")
    func noDescriptorLeak() throws {
        let server = try TestServer()
        func cycle() throws {
            let client = try server.client()
            guard try client.request("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").status == 200 else {
                throw TestClient.Failure.malformed("status")
            }
        }
        for _ in 0..<100 { try cycle() }
        #expect(TestServer.eventually { server.server.statusTotals().active == 0 })
        let baseline = TestServer.socketDescriptors(port: server.port)
        #expect(baseline == 1)  // the listening socket
        for _ in 0..<9_900 { try cycle() }
        #expect(TestServer.eventually { server.server.statusTotals().active == 0 })
        #expect(TestServer.eventually { TestServer.socketDescriptors(port: server.port) <= baseline })
    }
}

final class Failures: @unchecked Sendable {
    // A lock guards the list, so the threads of one test may share it.
    private let lock = NSLock()
    private var reasons: [String] = []
    func add(_ reason: String = "failed") { lock.lock(); reasons.append(reason); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return reasons.count }
    var first: String? { lock.lock(); defer { lock.unlock() }; return reasons.first }
}

@Suite("OPTIONS and shutdown end to end", .serialized)
struct OptionsAndShutdownTests {
    @Test("OPTIONS answers 204 with Allow for routes, files and *")
    func options() throws {
        let server = try TestServer(routes: { router in
            router.get("/thing") { _ in .text("x") }
            router.post("/thing") { _ in .text("y") }
        })
        let client = try server.client()
        let route = try client.request("OPTIONS /thing HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(route.status == 204)
        #expect(route.header("Allow") == "GET, HEAD, POST")
        let file = try client.request("OPTIONS /index.html HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(file.status == 204)
        #expect(file.header("Allow") == "GET, HEAD")
        let star = try client.request("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(star.status == 204)
        #expect(star.header("Allow")?.contains("GET") == true)
    }

    @Test("after shutdown, idle connections are closed, new connections are refused, and wait() returns")
    func shutdown() throws {
        let server = try TestServer()
        let idle = try server.client()
        _ = try idle.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        server.server.shutdown()
        #expect(idle.isClosedByServer())
        // Connections that reached the queue before every worker stopped accepting are still answered;
        // once the listener has stopped, a new connection is refused.
        let port = server.port
        #expect(TestServer.eventually { (try? TestClient(port: port)) == nil })
        server.server.wait()
    }
}

@Suite("Several processes on one port", .serialized)
struct ReusePortTests {
    @Test("with reusePort two servers share one port, and both answer")
    func sharePort() throws {
        let first = try TestServer(configure: { $0.reusePort = true })
        let port = first.port
        let second = try TestServer(configure: {
            $0.reusePort = true
            $0.port = port
        })
        #expect(second.port == port)
        for _ in 0..<20 {
            #expect(try TestClient(port: port).request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        }
        #expect(TestServer.eventually {
            first.server.statusTotals().requests + second.server.statusTotals().requests == 20
        })
        // The kernel spreads connections by hash: all 20 on one server would happen once in a million runs.
        #expect(first.server.statusTotals().requests > 0 && second.server.statusTotals().requests > 0)
    }

    @Test("without reusePort a second server on the port fails with address in use")
    func exclusivePort() throws {
        let first = try TestServer()
        let port = first.port
        #expect(throws: ServerError.self) { try TestServer(configure: { $0.port = port }) }
    }

    @Test("/status answers 503 once draining, so health checks take the server out of rotation")
    func drainingStatus() throws {
        let server = try TestServer()
        let status = server.server.statusEndpoint
        #expect(status.respond(to: TestRequests.make(target: "/status")).status == .ok)
        server.server.shutdown()
        #expect(status.respond(to: TestRequests.make(target: "/status")).status == .serviceUnavailable)
    }
}

@Suite("Drain delay for load balancers", .serialized)
struct DrainDelayTests {
    @Test("during the drain delay /status answers 503 but new connections are still served; then refused")
    func delay() throws {
        let server = try TestServer()
        let port = server.port
        server.server.shutdown(afterSeconds: 1)
        let status = try TestClient(port: port).request("GET /status HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(status.status == 503)
        #expect(status.text.contains("\"status\":\"draining\""))
        let served = try TestClient(port: port).request("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(served.status == 200)
        // Every response of the delay says close, so clients move their next request elsewhere.
        #expect(served.header("Connection") == "close")
        #expect(TestServer.eventually(seconds: 5) { (try? TestClient(port: port)) == nil })
        server.server.wait()
    }

    @Test("a connection that has not sent its first request when the drain begins is still answered")
    func freshConnection() throws {
        let server = try TestServer()
        let fresh = try server.client()
        let keptAlive = try server.client()
        #expect(try keptAlive.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        #expect(TestServer.eventually { server.server.statusTotals().active == 2 })
        server.server.shutdown()
        // An idle keep-alive connection is closed; a new one gets a moment for the request on its way.
        #expect(keptAlive.isClosedByServer())
        let response = try fresh.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(fresh.isClosedByServer())
        server.server.wait()
    }
}
