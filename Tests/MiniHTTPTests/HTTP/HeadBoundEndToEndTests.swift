import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// The parser's head bound seen from a client (issue 11, item 1): a flood of empty lines ahead of a request
/// is refused at once instead of being skipped into a head larger than the connection's input budget.
@Suite("Request head bound end to end", .serialized)
struct HeadBoundEndToEndTests {
    @Test("60,000 bytes of CRLF before a request are a 400 and a close; the worker serves the next client")
    func emptyLineFlood() throws {
        let server = try TestServer()
        let client = try server.client()
        let head = String(repeating: "\r\n", count: 30_000) + "POST / HTTP/1.1\r\nHost: t\r\nX: "
            + String(repeating: "x", count: 20_000) + "\r\nContent-Length: 1048576\r\n\r\n"
        // The server may close before it has read everything: a failed send is no failure here.
        try? client.send(head)
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.header("Connection") == "close")
        let next = try server.client()
        #expect(try next.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
    }
}
