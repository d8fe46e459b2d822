import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// A connection's head budget is `ParserLimits.maxHeadBytes`: a window that long always has a verdict, so a
/// full buffer can never leave the server waiting for bytes it has no room for (issue 11, item 1).
@Suite("Request head bound")
struct HeadBoundTests {
    static let limits = ParserLimits(maxURIBytes: 256, maxHeaderBytes: 1024, maxBodyBytes: 4096, maxHeaderCount: 128)

    /// A head that grows without ending, in one part of the head.
    struct EndlessHead: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var error: HTTPParseError
        var testDescription: String { name }
    }

    static let endless = [
        EndlessHead(name: "empty lines", text: String(repeating: "\r\n", count: 3000), error: .invalidRequestLine),
        EndlessHead(name: "empty lines, then a long field",
                    text: String(repeating: "\r\n", count: 500) + "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 3000),
                    error: .invalidRequestLine),
        EndlessHead(name: "a long target", text: "\r\n\r\nGET /" + String(repeating: "a", count: 3000), error: .uriTooLong),
        EndlessHead(name: "a request line without spaces", text: "\r\n" + String(repeating: "A", count: 3000),
                    error: .invalidRequestLine),
        EndlessHead(name: "a long field after the longest request line",
                    text: "\r\n\r\n\r\n\r\nGET /" + String(repeating: "a", count: 255) + " HTTP/1.1\r\nHost: a\r\nX: "
                        + String(repeating: "v", count: 3000), error: .headerTooLarge),
        EndlessHead(name: "many fields", text: "GET / HTTP/1.1\r\n" + String(repeating: "X-Field: some value\r\n", count: 120),
                    error: .headerTooLarge),
        EndlessHead(name: "field lines ending in CR", text: "GET / HTTP/1.1\r\nX: " + String(repeating: "v\r\nY: ", count: 500),
                    error: .headerTooLarge),
    ]

    @Test("a window of maxHeadBytes bytes is never incomplete, however a head grows", arguments: endless)
    func neverIncompleteAtTheBound(_ endless: EndlessHead) {
        let limits = Self.limits
        let bytes = Array(endless.text.utf8)
        #expect(bytes.count > limits.maxHeadBytes, "the case must outgrow the bound")
        var parser = RequestParser(limits: limits)
        var head = RequestHead()
        // Grow the window a byte at a time, as a slow client would.
        for end in 1...bytes.count {
            let result = bytes.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[0..<end]), into: &head) }
            if result == .incomplete {
                guard end < limits.maxHeadBytes else {
                    Issue.record("still incomplete at \(end) bytes; maxHeadBytes is \(limits.maxHeadBytes)")
                    return
                }
                continue
            }
            #expect(result == .failed(endless.error))
            return
        }
        Issue.record("never decided")
    }

    @Test("the largest head the limits allow is accepted and within maxHeadBytes; one byte more is 431")
    func largestHead() {
        let limits = Self.limits
        let leading = String(repeating: "\r\n", count: ParserLimits.maxLeadingEmptyLines)
        let requestLine = "GET /" + String(repeating: "a", count: limits.maxURIBytes - 1) + " HTTP/1.1\r\n"
        let filler = String(repeating: "v", count: limits.maxHeaderBytes - "Host: a\r\nX: \r\n".utf8.count)
        let bytes = Array((leading + requestLine + "Host: a\r\nX: " + filler + "\r\n\r\n").utf8)
        let harness = ParseHarness(limits: limits)
        guard case .requests(let parsed) = harness.parse(bytes), parsed.count == 1 else {
            Issue.record("refused the largest head")
            return
        }
        #expect(bytes.count <= limits.maxHeadBytes)
        let longer = Array((leading + requestLine + "Host: a\r\nX: v" + filler + "\r\n\r\n").utf8)
        for cuts in [[], Array(1..<longer.count)] + (1..<longer.count).map({ [$0] }) {
            #expect(harness.parse(longer, cuts: cuts) == .failed(.headerTooLarge, after: []), "cut at \(cuts.first ?? 0)")
        }
    }

    @Test("a few empty lines before the request line are ignored; more are a 400 (RFC 9112 §2.2)")
    func leadingEmptyLines() {
        let harness = ParseHarness()
        let allowed = String(repeating: "\r\n", count: ParserLimits.maxLeadingEmptyLines)
        let request = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
        guard case .requests(let parsed) = harness.parse(Array((allowed + request).utf8)) else {
            Issue.record("refused \(ParserLimits.maxLeadingEmptyLines) leading empty lines")
            return
        }
        #expect(parsed.map(\.path) == ["/"])
        let tooMany = Array(("\r\n" + allowed + request).utf8)
        #expect(harness.parse(tooMany) == .failed(.invalidRequestLine, after: []))
        #expect(harness.parse(tooMany, cuts: Array(1..<tooMany.count)) == .failed(.invalidRequestLine, after: []))
        // The issue's case: 60,000 bytes of CRLF ahead of a request are a 400, not a head to wait for.
        let flood = Array((String(repeating: "\r\n", count: 30_000) + request).utf8)
        #expect(harness.parse(flood) == .failed(.invalidRequestLine, after: []))
    }
}
