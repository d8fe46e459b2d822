import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Response encoding")
struct ResponseEncoderTests {
    func encode(_ response: Response, length: Int, keepAlive: Bool = true) -> String? {
        var out: [UInt8] = []
        let date = Array("Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n".utf8)
        guard ResponseEncoder.appendHead(response, framing: .length(length), keepAlive: keepAlive, date: date, into: &out)
        else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    @Test("a head has the status line, Date, Server, type, length, Connection, then the handler's fields")
    func head() {
        var response = Response.text("hi")
        response.addHeader("X-Trace", "abc")
        #expect(encode(response, length: 2) == """
            HTTP/1.1 200 OK\r
            Date: Thu, 01 Jan 2026 00:00:00 GMT\r
            Server: minihttp\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Length: 2\r
            Connection: keep-alive\r
            X-Trace: abc\r
            \r

            """)
    }

    @Test("an empty content type is none: no empty Content-Type line is written")
    func emptyContentType() {
        var response = Response(status: .ok, contentType: "", body: .string("x"))
        #expect(response.contentType == nil)
        #expect(encode(response, length: 1)?.contains("Content-Type") == false)
        response.contentType = "text/csv"
        #expect(encode(response, length: 1)?.contains("Content-Type: text/csv\r\n") == true)
        response.contentType = nil
        #expect(encode(response, length: 1)?.contains("Content-Type") == false)
    }

    @Test("closing responses say Connection: close; 204 and 304 carry no Content-Length")
    func closeAndBodiless() {
        #expect(encode(.text("x"), length: 1, keepAlive: false)?.contains("Connection: close\r\n") == true)
        #expect(encode(.status(.noContent), length: 0)?.contains("Content-Length") == false)
        #expect(encode(.status(.notModified), length: 0)?.contains("Content-Length") == false)
    }

    @Test("custom reason phrases are written; unknown codes get a generic phrase")
    func reasons() {
        #expect(encode(Response(status: Status(code: 299, reason: "Fine")), length: 0)?.hasPrefix("HTTP/1.1 299 Fine\r\n") == true)
        #expect(encode(Response(status: Status(code: 299)), length: 0)?.hasPrefix("HTTP/1.1 299 Status\r\n") == true)
        #expect(Status(code: 42).code == 500)
    }

    @Test("header values with CR, LF or NUL, and names that are not tokens, are refused", arguments: [
        HTTPField(name: "X-Bad", value: "a\r\nSet-Cookie: evil=1"),
        HTTPField(name: "X-Bad", value: "line\nbreak"),
        HTTPField(name: "X-Bad", value: "nul\u{0}"),
        HTTPField(name: "Bad Name", value: "v"),
        HTTPField(name: "", value: "v"),
    ])
    func refusesUnsafeFields(_ field: HTTPField) {
        #expect(encode(Response(status: .ok, headers: [field]), length: 0) == nil)
    }

    @Test("a content type with a line break is refused too")
    func refusesUnsafeContentType() {
        #expect(encode(Response(status: .ok, contentType: "text/html\r\nX: y"), length: 0) == nil)
    }
}
