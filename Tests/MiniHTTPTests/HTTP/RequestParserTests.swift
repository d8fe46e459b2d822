import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Request parser")
struct RequestParserTests {
    let harness = ParseHarness()

    static let browserGET = """
        GET /search?q=swift&page=2 HTTP/1.1
        Host: example.com:8080
        User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36
        Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8
        Accept-Language: en-GB,en;q=0.9
        Accept-Encoding: gzip, deflate, br
        Cookie: session=abc123; theme=dark
        Connection: keep-alive


        """

    static let samples: [String] = [
        browserGET,
        "GET / HTTP/1.1\nHost: a\n\n",
        "POST /upload HTTP/1.1\nHost: a\nContent-Length: 5\n\nhello",
        "POST /chunks HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n",
        "GET http://example.com/abs?x=1 HTTP/1.1\nHost: ignored\n\n",
        "GET / HTTP/1.0\n\n",
        "OPTIONS * HTTP/1.1\nHost: a\n\n",
        "\n\nGET /after-empty-lines HTTP/1.1\nHost: a\n\n",
        "GET / HTTP/1.1\nHost: a\nX-Empty:\nX-Spaces:   padded value \t\n\n",
        // Values with tabs, obs-text (UTF-8 bytes of 0x80 and up) and colons; names around eight bytes long.
        "GET / HTTP/1.1\nHost: a\nX-Tabbed: one\ttwo\tthree and some more text\nX-Obs: caf\u{e9} na\u{ef}ve\n"
            + "X-Colons: a:b:c::d\nAbcdefg: 1\nAbcdefgh: 12345678\nAbcdefghi:\t123456789\t\n\n",
    ]

    @Test("a typical browser request yields its method, target, host and fields")
    func browserRequest() {
        let outcome = harness.parse(Self.browserGET.crlf)
        guard case .requests(let requests) = outcome, let request = requests.first else {
            Issue.record("expected a request, got \(outcome)")
            return
        }
        #expect(request.method == .get)
        #expect(request.target == "/search?q=swift&page=2")
        #expect(request.path == "/search")
        #expect(request.query == "q=swift&page=2")
        #expect(request.host == "example.com:8080")
        #expect(request.version == .http1_1)
        #expect(request.fields.count == 7)
        #expect(request.fields[5] == "Cookie: session=abc123; theme=dark")
        #expect(request.framing == .none)
    }

    @Test("optional whitespace around field values is trimmed; empty values are kept")
    func fieldWhitespace() {
        let outcome = harness.parse("GET / HTTP/1.1\nHost: a\nX-Empty:\nX-Spaces:   padded value \t\n\n".crlf)
        guard case .requests(let requests) = outcome else { Issue.record("\(outcome)"); return }
        #expect(requests.first?.fields == ["Host: a", "X-Empty: ", "X-Spaces: padded value"])
    }

    @Test("every sample parses the same whole, byte by byte, and split at every offset", arguments: samples)
    func splitAnywhere(_ sample: String) {
        let bytes = sample.crlf
        let whole = harness.parse(bytes)
        guard case .requests(let expected) = whole, !expected.isEmpty else {
            Issue.record("sample did not parse: \(whole)")
            return
        }
        #expect(harness.parse(bytes, cuts: Array(1..<bytes.count)) == whole)
        for cut in 1..<bytes.count {
            #expect(harness.parse(bytes, cuts: [cut]) == whole, "split at \(cut)")
        }
    }

    @Test("pipelined requests in one read are framed exactly, in order")
    func pipelined() {
        let batch = "GET /one HTTP/1.1\nHost: a\n\nPOST /two HTTP/1.1\nHost: a\nContent-Length: 3\n\nabcGET /three HTTP/1.1\nHost: a\nConnection: close\n\n"
        let bytes = batch.crlf
        let outcome = harness.parse(bytes)
        guard case .requests(let requests) = outcome else { Issue.record("\(outcome)"); return }
        #expect(requests.map(\.path) == ["/one", "/two", "/three"])
        #expect(requests.map(\.keepAlive) == [true, true, false])
        #expect(requests[1].framing == .length(3))
        for cut in 1..<bytes.count {
            #expect(harness.parse(bytes, cuts: [cut]) == outcome, "split at \(cut)")
        }
    }

    @Test("an absolute-form target gives the path, and its authority wins over Host")
    func absoluteForm() {
        let outcome = harness.parse("GET http://example.com/abs?x=1 HTTP/1.1\nHost: other\n\n".crlf)
        guard case .requests(let requests) = outcome else { Issue.record("\(outcome)"); return }
        #expect(requests.first?.path == "/abs")
        #expect(requests.first?.query == "x=1")
        #expect(requests.first?.host == "example.com")
    }

    @Test("persistence: HTTP/1.1 keeps alive unless told to close; HTTP/1.0 only when asked", arguments: [
        ("GET / HTTP/1.1\nHost: a\n\n", true),
        ("GET / HTTP/1.1\nHost: a\nConnection: close\n\n", false),
        ("GET / HTTP/1.1\nHost: a\nConnection: Keep-Alive, CLOSE\n\n", false),
        ("GET / HTTP/1.0\n\n", false),
        ("GET / HTTP/1.0\nConnection: keep-alive\n\n", true),
        ("GET / HTTP/1.2\nHost: a\n\n", true),
    ])
    func persistence(_ text: String, _ keepAlive: Bool) {
        let outcome = harness.parse(text.crlf)
        guard case .requests(let requests) = outcome else { Issue.record("\(outcome)"); return }
        #expect(requests.first?.keepAlive == keepAlive)
    }

    @Test("a chunked request is framed as chunked")
    func chunkedFraming() {
        let outcome = harness.parse("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: Chunked\n\n".crlf)
        guard case .requests(let requests) = outcome else { Issue.record("\(outcome)"); return }
        #expect(requests.first?.framing == .chunked)
    }

    @Test("Expect: 100-continue is recognised")
    func expectContinue() {
        var parser = RequestParser(limits: ParserLimits())
        var head = RequestHead()
        let bytes = "POST / HTTP/1.1\nHost: a\nExpect: 100-Continue\nContent-Length: 3\n\n".crlf
        let result = bytes.withUnsafeBytes { parser.parse($0, into: &head) }
        #expect(result == .complete)
        #expect(head.expectsContinue)
    }

    @Test("a head reset after a request is as good as new, and keeps its capacity")
    func resetHead() {
        var parser = RequestParser(limits: ParserLimits())
        var head = RequestHead()
        let bytes = "POST http://a/x?y HTTP/1.0\nHost: a\nContent-Length: 3\nConnection: keep-alive, close\nExpect: 100-continue\n\n".crlf
        #expect(bytes.withUnsafeBytes { parser.parse($0, into: &head) } == .complete)
        let capacity = head.fields.capacity
        head.reset()
        var fresh = RequestHead()
        fresh.fields.reserveCapacity(capacity)
        #expect(head == fresh)
        #expect(head.fields.capacity == capacity)
    }

    @Test("an incomplete head asks for more")
    func incomplete() {
        var parser = RequestParser(limits: ParserLimits())
        var head = RequestHead()
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8)
        #expect(bytes.withUnsafeBytes { parser.parse($0, into: &head) } == .incomplete)
    }
}
