import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Request parser rejections")
struct RequestParserErrorTests {
    let harness = ParseHarness()

    static let malformed: [(String, String, HTTPParseError)] = [
        ("no target", "GET HTTP/1.1\nHost: a\n\n", .invalidRequestLine),
        ("two spaces", "GET  / HTTP/1.1\nHost: a\n\n", .invalidRequestLine),
        ("lowercase version", "GET / http/1.1\nHost: a\n\n", .invalidRequestLine),
        ("version 1.10", "GET / HTTP/1.10\nHost: a\n\n", .invalidRequestLine),
        ("trailing space", "GET / HTTP/1.1 \nHost: a\n\n", .invalidRequestLine),
        ("tab in target", "GET /a\tb HTTP/1.1\nHost: a\n\n", .invalidTarget),
        ("fragment in target", "GET /a#b HTTP/1.1\nHost: a\n\n", .invalidTarget),
        ("non-ASCII target", "GET /caf\u{e9} HTTP/1.1\nHost: a\n\n", .invalidTarget),
        ("relative target", "GET index.html HTTP/1.1\nHost: a\n\n", .invalidTarget),
        ("asterisk for GET", "GET * HTTP/1.1\nHost: a\n\n", .invalidTarget),
        ("method with bad char", "GE(T / HTTP/1.1\nHost: a\n\n", .invalidRequestLine),
        ("unknown method", "BREW /pot HTTP/1.1\nHost: a\n\n", .unknownMethod),
        ("lowercase method", "get / HTTP/1.1\nHost: a\n\n", .unknownMethod),
        ("HTTP/2.0", "GET / HTTP/2.0\nHost: a\n\n", .unsupportedVersion),
        ("HTTP/0.9", "GET / HTTP/0.9\nHost: a\n\n", .unsupportedVersion),
        ("missing Host", "GET / HTTP/1.1\nAccept: */*\n\n", .missingHost),
        ("duplicate Host", "GET / HTTP/1.1\nHost: a\nHost: b\n\n", .duplicateHost),
        ("Host with space", "GET / HTTP/1.1\nHost: a b\n\n", .invalidHost),
        ("Host with userinfo", "GET / HTTP/1.1\nHost: user@a\n\n", .invalidHost),
        ("Host with bad port", "GET / HTTP/1.1\nHost: a:80x\n\n", .invalidHost),
        ("empty Host (RFC 9110 §4.2.1: no http URI with an empty host)", "GET / HTTP/1.1\nHost:\n\n", .invalidHost),
        ("empty Host with spaces", "GET / HTTP/1.1\nHost:   \n\n", .invalidHost),
        ("empty Host on HTTP/1.0", "GET / HTTP/1.0\nHost:\n\n", .invalidHost),
        ("space before colon", "GET / HTTP/1.1\nHost : a\n\n", .invalidHeaderField),
        ("no colon", "GET / HTTP/1.1\nHost: a\nNoColon\n\n", .invalidHeaderField),
        ("empty name", "GET / HTTP/1.1\nHost: a\n: value\n\n", .invalidHeaderField),
        ("bad name char", "GET / HTTP/1.1\nHost: a\nX(y): z\n\n", .invalidHeaderField),
        ("NUL in value", "GET / HTTP/1.1\nHost: a\nX: a\u{0}b\n\n", .invalidHeaderField),
        ("bare CR in value", "GET / HTTP/1.1\nHost: a\nX: a\rb\n\n", .invalidHeaderField),
        ("DEL in a long value", "GET / HTTP/1.1\nHost: a\nX: abcdefghijklmnop\u{7F}qrstuvwxyz\n\n", .invalidHeaderField),
        ("control byte late in a value", "GET / HTTP/1.1\nHost: a\nX: abcdefghijklmnopqrstuvw\u{1}xyz\n\n", .invalidHeaderField),
        ("bad name char after eight good ones", "GET / HTTP/1.1\nHost: a\nX-Abcdefgh\"ij: z\n\n", .invalidHeaderField),
        ("obs-fold", "GET / HTTP/1.1\nHost: a\nX: a\n  b\n\n", .obsoleteLineFolding),
        ("Content-Length not a number", "POST / HTTP/1.1\nHost: a\nContent-Length: 12a\n\n", .invalidContentLength),
        ("negative Content-Length", "POST / HTTP/1.1\nHost: a\nContent-Length: -1\n\n", .invalidContentLength),
        ("Content-Length list", "POST / HTTP/1.1\nHost: a\nContent-Length: 3, 3\n\n", .invalidContentLength),
        ("Content-Length overflow", "POST / HTTP/1.1\nHost: a\nContent-Length: 99999999999999999999\n\n", .invalidContentLength),
        ("duplicate Content-Length", "POST / HTTP/1.1\nHost: a\nContent-Length: 3\nContent-Length: 3\n\n", .duplicateContentLength),
        ("CL with TE", "POST / HTTP/1.1\nHost: a\nContent-Length: 3\nTransfer-Encoding: chunked\n\n", .contentLengthWithTransferEncoding),
        ("TE not ending in chunked", "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked, gzip\n\n", .transferEncodingNotChunked),
        ("TE chunked twice", "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\nTransfer-Encoding: chunked\n\n", .transferEncodingNotChunked),
        ("TE unknown coding", "POST / HTTP/1.1\nHost: a\nTransfer-Encoding: gzip, chunked\n\n", .unsupportedTransferCoding),
        ("TE in HTTP/1.0", "POST / HTTP/1.0\nTransfer-Encoding: chunked\n\n", .transferEncodingInHTTP1_0),
        ("unsupported Expect", "GET / HTTP/1.1\nHost: a\nExpect: 200-ok\n\n", .unsupportedExpectation),
    ]

    @Test("malformed requests map to their error, whole and split anywhere", arguments: malformed)
    func rejects(_ name: String, _ text: String, _ error: HTTPParseError) {
        let bytes = text.crlf
        #expect(harness.parse(bytes) == .failed(error, after: []), "\(name)")
        for cut in 1..<bytes.count {
            #expect(harness.parse(bytes, cuts: [cut]) == .failed(error, after: []), "\(name) split at \(cut)")
        }
    }

    @Test("each error answers with exactly one status", arguments: [
        (HTTPParseError.invalidRequestLine, 400), (.missingHost, 400), (.contentLengthWithTransferEncoding, 400),
        (.unknownMethod, 501), (.unsupportedTransferCoding, 501), (.unsupportedVersion, 505),
        (.uriTooLong, 414), (.headerTooLarge, 431), (.bodyTooLarge, 413), (.unsupportedExpectation, 417),
    ])
    func statuses(_ error: HTTPParseError, _ code: Int) {
        #expect(error.status.code == code)
    }

    @Test("a bare LF line ending is refused (the stricter reading of RFC 9112 §2.2)")
    func bareLineFeed() {
        #expect(harness.parse(Array("GET / HTTP/1.1\nHost: a\n\n".utf8)) == .failed(.invalidLineEnding, after: []))
        #expect(harness.parse(Array("GET / HTTP/1.1\r\nHost: a\n\r\n".utf8)) == .failed(.invalidLineEnding, after: []))
    }

    @Test("a target longer than maxURIBytes is 414, even before its line ends")
    func uriTooLong() {
        let long = "GET /" + String(repeating: "a", count: 9000)
        #expect(harness.parse(Array((long + " HTTP/1.1\r\nHost: a\r\n\r\n").utf8)) == .failed(.uriTooLong, after: []))
        #expect(harness.parse(Array(long.utf8)) == .failed(.uriTooLong, after: []))
    }

    @Test("a header section over maxHeaderBytes is 431, even before it ends")
    func headerTooLarge() {
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: 70_000)
        #expect(harness.parse(Array((big + "\r\n\r\n").utf8)) == .failed(.headerTooLarge, after: []))
        #expect(harness.parse(Array(big.utf8)) == .failed(.headerTooLarge, after: []))
        var many = "GET / HTTP/1.1\r\nHost: a\r\n"
        for index in 0..<200 { many += "X-\(index): v\r\n" }
        #expect(harness.parse(Array((many + "\r\n").utf8)) == .failed(.headerTooLarge, after: []))
    }

    @Test("a declared body over maxBodyBytes is 413, decided from the head")
    func bodyTooLarge() {
        let text = "POST / HTTP/1.1\nHost: a\nContent-Length: \(ParserLimits().maxBodyBytes + 1)\n\n"
        #expect(harness.parse(text.crlf) == .failed(.bodyTooLarge, after: []))
    }

    @Test("an error after good pipelined requests keeps those and stops there")
    func errorAfterGood() {
        let text = "GET /ok HTTP/1.1\nHost: a\n\nGET /bad HTTP/1.1\n\nGET /never HTTP/1.1\nHost: a\n\n"
        guard case .failed(let error, let before) = harness.parse(text.crlf) else { Issue.record("expected failure"); return }
        #expect(error == .missingHost)
        #expect(before.map(\.path) == ["/ok"])
    }
}

@Suite("Request parser limits, found by fuzzing")
struct RequestParserFuzzRegressionTests {
    @Test("a header section over the limit is 431 even when a bad line ending lies beyond the limit, however split")
    func limitBeforeLineEnding() {
        var limits = ParserLimits()
        limits.maxHeaderBytes = 1024
        let harness = ParseHarness(limits: limits)
        // The fuzzer's find: whole, the bare LF was seen first (400); split before it, the size was (431).
        let bytes = Array(("GET / HTTP/1.0\r\nX-Long: " + String(repeating: "v", count: 1100) + "\nX: y\r\n\r\n").utf8)
        for cut in [0, 200, 1000, 1100, 1120, 1140] {
            #expect(harness.parse(bytes, cuts: [cut]) == .failed(.headerTooLarge, after: []), "split at \(cut)")
        }
    }

    @Test("a request line over the limit gets the same answer whether or not its end has arrived")
    func requestLineLimit() {
        var limits = ParserLimits()
        limits.maxURIBytes = 256
        let harness = ParseHarness(limits: limits)
        let bytes = Array(("GET /" + String(repeating: "a", count: 300) + "\u{7f} HTTP/1.1\r\nHost: a\r\n\r\n").utf8)
        for cut in [0, 100, 295, 310] {
            #expect(harness.parse(bytes, cuts: [cut]) == .failed(.uriTooLong, after: []), "split at \(cut)")
        }
    }
}
