import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Found by the connection fuzz target (Tests/Fuzz/FuzzConnection.swift): a connection that closes after
/// its response (here: the last request `maxRequestsPerConnection` allows) while the client has pipelined
/// more requests that are still unread in the kernel must close in stages (RFC 9112 §9.6). Closing at once
/// with unread input makes the kernel send a reset, which throws away the end of the response still queued
/// to the client.
@Suite("Closing with the client's next request unread")
struct CloseWithUnreadInputTests {
    static let bodyBytes = 16 << 20  // far more than the socket buffers hold

    @Test("the last response arrives whole, then the connection ends, when more requests wait unread")
    func lastResponseArrivesWhole() async throws {
        let body = [UInt8](repeating: 0x61, count: Self.bodyBytes)
        let server = try TestServer(configure: { $0.maxRequestsPerConnection = 1 }, routes: { router in
            router.get("/big") { _ in .bytes(body) }
        })
        let port = server.port
        let (status, connection, received) = try await blocking {
            let client = try TestClient(port: port, timeoutSeconds: 10)
            client.setReceiveBuffer(64 * 1024)  // the server cannot have written the body by the time its head is read
            try client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            // The head has arrived: the server has answered the request and is writing the body, reading
            // nothing more. The next request waits in its kernel.
            var head = [UInt8](repeating: 0, count: 64)
            let peeked = recv(client.fd, &head, head.count, Int32(MSG_PEEK))
            try client.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n")
            guard peeked > 0 else { return (0, "", 0) }
            let response = try client.readResponse()
            return (response.status, response.header("Connection") ?? "", response.body.count)
        }
        #expect(status == 200)
        #expect(connection == "close")
        #expect(received == Self.bodyBytes)
    }
}
