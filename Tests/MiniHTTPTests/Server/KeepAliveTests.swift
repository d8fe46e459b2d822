import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Connections end to end", .serialized)
struct KeepAliveTests {
    static let get = "GET / HTTP/1.1\r\nHost: t\r\n\r\n"

    @Test("a keep-alive connection serves many requests, and says keep-alive")
    func keepAlive() throws {
        let server = try TestServer()
        let client = try server.client()
        for _ in 0..<5 {
            let response = try client.request(Self.get)
            #expect(response.status == 200)
            #expect(response.header("Connection") == "keep-alive")
            #expect(response.text.contains("<h1>hello</h1>"))
        }
    }

    @Test("pipelined requests in one write are answered in order")
    func pipelining() throws {
        let server = try TestServer(routes: { router in
            router.get("/n/:n") { request in .text(request.parameters["n"] ?? "") }
        })
        let client = try server.client()
        try client.send((0..<20).map { "GET /n/\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined())
        for index in 0..<20 {
            #expect(try client.readResponse().text == "\(index)")
        }
    }

    @Test("a request split across many writes is framed exactly")
    func splitRequest() throws {
        let server = try TestServer(routes: { router in
            router.post("/echo") { request in .bytes(Array(request.body)) }
        })
        let client = try server.client()
        let request = Array("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello worldGET / HTTP/1.1\r\nHost: t\r\n\r\n".utf8)
        for byte in request {
            try client.send([byte])
            usleep(200)
        }
        #expect(try client.readResponse().text == "hello world")
        #expect(try client.readResponse().status == 200)
    }

    @Test("a chunked request body is decoded")
    func chunkedBody() throws {
        let server = try TestServer(routes: { router in
            router.post("/echo") { request in .bytes(Array(request.body)) }
        })
        let client = try server.client()
        let response = try client.request(
            "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        #expect(response.text == "hello world")
        #expect(try client.request(Self.get).status == 200)
    }

    @Test("Connection: close from the client is honoured")
    func clientClose() throws {
        let server = try TestServer()
        let client = try server.client()
        let response = try client.request("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(response.header("Connection") == "close")
        #expect(client.isClosedByServer())
    }

    @Test("HTTP/1.0 closes unless it asked for keep-alive")
    func http10() throws {
        let server = try TestServer()
        let closing = try server.client()
        #expect(try closing.request("GET / HTTP/1.0\r\n\r\n").header("Connection") == "close")
        #expect(closing.isClosedByServer())
        let staying = try server.client()
        #expect(try staying.request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").header("Connection") == "keep-alive")
        #expect(try staying.request("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").status == 200)
    }

    @Test("after an empty read, the requests already sent are answered, then the connection ends")
    func halfClose() throws {
        let server = try TestServer()
        let client = try server.client()
        try client.send(Self.get + Self.get)
        client.finishSending()
        let bytes = try client.readUntilClosed()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.components(separatedBy: "HTTP/1.1 200 OK").count - 1 == 2)
        #expect(TestServer.eventually { server.server.statusTotals().closedByPeer >= 1 })
    }

    @Test("a client that closes with nothing to answer is closed at once and counted")
    func emptyRead() throws {
        let server = try TestServer()
        let before = TestServer.socketDescriptors(port: server.port)
        do {
            let client = try server.client()
            _ = try client.request(Self.get)
            client.finishSending()
            #expect(client.isClosedByServer())
        }
        #expect(TestServer.eventually { TestServer.socketDescriptors(port: server.port) <= before })
        #expect(TestServer.eventually { server.server.statusTotals().active == 0 })
    }

    @Test("maxRequestsPerConnection closes the connection after that many")
    func requestLimit() throws {
        let server = try TestServer(configure: { $0.maxRequestsPerConnection = 3 })
        let client = try server.client()
        #expect(try client.request(Self.get).header("Connection") == "keep-alive")
        #expect(try client.request(Self.get).header("Connection") == "keep-alive")
        #expect(try client.request(Self.get).header("Connection") == "close")
        #expect(client.isClosedByServer())
    }

    @Test("an idle connection is closed after keepAliveTimeoutSeconds and counted as timed out")
    func idleTimeout() throws {
        let server = try TestServer(configure: { $0.keepAliveTimeoutSeconds = 1 })
        let client = try server.client(timeoutSeconds: 4)
        _ = try client.request(Self.get)
        #expect(client.isClosedByServer())
        #expect(TestServer.eventually { server.server.statusTotals().timedOut == 1 })
    }

    @Test("IPv6 loopback works")
    func ipv6() throws {
        let server = try TestServer(configure: { $0.host = "::1" })
        let client = try TestClient(port: server.port, host: "::1")
        #expect(try client.request(Self.get).status == 200)
    }
}
