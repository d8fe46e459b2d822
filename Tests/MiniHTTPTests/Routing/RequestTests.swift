import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Request accessors")
struct RequestTests {
    @Test("headers are looked up without regard to case, in order")
    func headers() {
        let request = TestRequests.make(target: "/", fields: ["Content-Type: text/plain", "X-Tag: one", "x-tag: two"])
        #expect(request.headers["content-type"] == "text/plain")
        #expect(request.headers["CONTENT-TYPE"] == "text/plain")
        #expect(request.headers.values(for: "X-TAG") == ["one", "two"])
        #expect(request.headers["missing"] == nil)
        #expect(request.headers.contains("x-tag"))
    }

    @Test("query items are split and decoded")
    func query() {
        let request = TestRequests.make(target: "/search?q=swift+server&lang=en%2DGB&flag&empty=")
        #expect(request.path == "/search")
        #expect(request.rawQuery == "q=swift+server&lang=en%2DGB&flag&empty=")
        #expect(request.queryItems == [
            QueryItem(name: "q", value: "swift server"), QueryItem(name: "lang", value: "en-GB"),
            QueryItem(name: "flag", value: ""), QueryItem(name: "empty", value: ""),
        ])
        #expect(request.query("lang") == "en-GB")
        #expect(request.query("nope") == nil)
    }

    @Test("the path is percent-decoded; the raw path is as sent")
    func path() {
        let request = TestRequests.make(target: "/a%20b/c")
        #expect(request.path == "/a b/c")
        #expect(request.rawPath == "/a%20b/c")
        #expect(request.host == "test")
        #expect(request.remoteAddress == "127.0.0.1")
    }
}
