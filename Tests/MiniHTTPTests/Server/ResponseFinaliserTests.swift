import Foundation
import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// The one gate every response passes: framing is the server's, a final status is never 1xx, the status
/// logged is the status sent, and durations run from the head's arrival to the last byte written.
@Suite("Response finaliser")
struct ResponseFinaliserTests {
    @Test("handler-set framing fields and 1xx statuses are refused; Connection: close is honoured, not copied",
          arguments: [
            (Response(headers: [HTTPField(name: "Content-Length", value: "3")]), "refuse"),
            (Response(headers: [HTTPField(name: "transfer-encoding", value: "chunked")]), "refuse"),
            (Response(status: Status(code: 101)), "refuse"),
            (Response(status: .continue), "refuse"),
            (Response(headers: [HTTPField(name: "Connection", value: "keep-alive, Close")]), "close"),
            (Response(headers: [HTTPField(name: "Connection", value: "keep-alive")]), "send"),
            (Response(headers: [HTTPField(name: "X-Content-Length", value: "1")]), "send"),
          ])
    func verdicts(response: Response, expected: String) {
        var response = response
        let verdict = ResponseFinaliser.finalise(&response)
        switch verdict {
        case .send: #expect(expected == "send")
        case .sendAndClose: #expect(expected == "close")
        case .refuse: #expect(expected == "refuse")
        }
        if case .refuse = verdict { return }
        #expect(!response.headers.contains { $0.name.lowercased() == "connection" })
    }

    static func routes(_ router: inout Router) {
        router.get("/length") { _ in Response(headers: [HTTPField(name: "Content-Length", value: "99")], body: .string("x")) }
        router.get("/interim") { _ in Response(status: Status(code: 103)) }
        router.get("/close") { _ in Response(headers: [HTTPField(name: "Connection", value: "close")], body: .string("bye\n")) }
        router.get("/slow") { _ in
            usleep(300_000)
            return .text("slow\n")
        }
        router.get("/unsafe") { _ in Response(headers: [HTTPField(name: "X-Bad", value: "a\r\nb")]) }
    }

    @Test("on the wire: a handler's Content-Length or 1xx becomes a 500; Connection: close closes after the answer")
    func onTheWire() throws {
        let server = try TestServer(routes: Self.routes)
        let client = try server.client()
        let length = try client.request("GET /length HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(length.status == 500)
        #expect(length.headers.filter { $0.0.lowercased() == "content-length" }.count == 1)
        #expect(try client.request("GET /interim HTTP/1.1\r\nHost: t\r\n\r\n").status == 500)
        let close = try client.request("GET /close HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(close.text == "bye\n")
        #expect(close.headers.filter { $0.0.lowercased() == "connection" }.map(\.1) == ["close"])
        #expect(client.isClosedByServer())
    }

    @Test("the access log shows the status sent and the real duration; an error's duration is not the uptime")
    func accessLogStatusAndDuration() throws {
        let logFolder = TemporaryDirectory()
        let logPath = logFolder.path + "/access.log"
        let server = try TestServer(configure: {
            $0.accessLog = true
            $0.accessLogPath = logPath
        }, routes: Self.routes)
        let client = try server.client()
        #expect(try client.request("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        #expect(try client.request("GET /unsafe HTTP/1.1\r\nHost: t\r\n\r\n").status == 500)
        let bad = try server.client()
        #expect(try bad.request("GET / HTTP/1.1\r\n\r\n").status == 400)  // no Host
        server.stop()
        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        func field(_ line: Substring, fromEnd: Int) -> Substring {
            let fields = line.split(separator: " ")
            return fields[fields.count - fromEnd]
        }
        let durations = lines.map { Double(field($0, fromEnd: 1)) ?? -1 }
        #expect(durations[0] >= 0.3 && durations[0] < 5)
        #expect(lines[1].contains("\" 500 "))
        #expect(lines[2].contains("\" 400 "))
        #expect(durations[2] >= 0 && durations[2] < 1)
        #expect(server.server.statusTotals().requests == 3)
    }

    @Test("OPTIONS * lists the methods the server answers; the 503 over a limit carries a Date")
    func serverAnswers() throws {
        let server = try TestServer(configure: { $0.maxConnectionsPerClient = 1 }, routes: { router in
            router.post("/things") { _ in .text("made\n") }
        })
        let client = try server.client()
        let options = try client.request("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(options.status == 204)
        #expect(options.header("Allow") == "GET, HEAD, POST, OPTIONS")
        let second = try server.client()
        let refused = try second.readResponse()
        #expect(refused.status == 503)
        #expect(refused.header("Date") != nil)
        #expect(refused.header("Retry-After") == "1")
    }

    @Test("a handler's Content-Type field becomes the content type; its Date and Server are dropped: each field once")
    func serverFieldsGoOutOnce() {
        var response = Response.text("<a/>")
        response.headers["Content-Type"] = "application/xml"
        response.headers["Date"] = "Thu, 01 Jan 1970 00:00:00 GMT"
        response.headers["Server"] = "other"
        response.headers["X-Kept"] = "1"
        #expect(ResponseFinaliser.finalise(&response) == .send)
        #expect(response.contentType == "application/xml")
        #expect(response.headers.map(\.name) == ["X-Kept"])
    }
}
