import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Chunked body decoder")
struct ChunkedDecoderTests {
    /// Decodes `text` fed in pieces split at `cuts`; returns the body, the bytes left after it, or the error.
    func decode(_ text: String, cuts: [Int] = [], limits: ParserLimits = ParserLimits())
        -> Result<(body: String, rest: String), HTTPParseError>
    {
        let bytes = Array(text.utf8)
        var decoder = ChunkedDecoder(limits: limits)
        var body: [UInt8] = []
        var start = 0
        for end in cuts + [bytes.count] where end > start {
            let result = bytes.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[start..<end]), into: &body) }
            switch result {
            case .needMore: start = end
            case .failed(let error): return .failure(error)
            case .done(let consumed):
                return .success((String(decoding: body, as: UTF8.self), String(decoding: bytes[(start + consumed)...], as: UTF8.self)))
            }
        }
        return .failure(.invalidChunkedBody)  // never finished
    }

    @Test("chunks are joined; what follows the last chunk is left for the next request")
    func joins() throws {
        let text = "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\nGET / HTTP/1.1"
        let decoded = try decode(text).get()
        #expect(decoded.body == "hello, world")
        #expect(decoded.rest == "GET / HTTP/1.1")
        for cut in 1..<text.utf8.count {
            let split = try decode(text, cuts: [cut]).get()
            #expect(split.body == "hello, world" && split.rest == "GET / HTTP/1.1", "split at \(cut)")
        }
    }

    @Test("hexadecimal sizes in either case")
    func hexSizes() throws {
        let text = "A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n"
        #expect(try decode(text).get().body == "0123456789abcdefghij")
    }

    @Test("broken chunk grammar is refused", arguments: [
        "zz\r\nhello\r\n0\r\n\r\n",          // not hex
        "5x\r\nhello\r\n0\r\n\r\n",          // junk after the size
        "5\r\nhelloXX0\r\n\r\n",             // no CRLF after the data
        "5\nhello\r\n0\r\n\r\n",             // bare LF after the size
        "1000000000000000\r\n",              // 16 hex digits: would overflow
        "\r\n",                               // empty size
        "0\r\nBad Trailer\r\n\r\n",          // trailer without a colon is still not a token line start
    ])
    func refuses(_ text: String) {
        guard case .failure(let error) = decode(text) else {
            Issue.record("accepted \(text.debugDescription)")
            return
        }
        #expect(error == .invalidChunkedBody)
    }

    @Test("a decoded body over maxBodyBytes is 413")
    func bodyLimit() {
        var limits = ParserLimits()
        limits.maxBodyBytes = 8
        #expect(throws: HTTPParseError.bodyTooLarge) { try decode("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", limits: limits).get() }
    }

    @Test("chunk extensions and trailers are bounded by maxHeaderBytes")
    func metadataLimit() {
        var limits = ParserLimits()
        limits.maxHeaderBytes = 1024
        let ext = "1;" + String(repeating: "e", count: 2000) + "\r\na\r\n0\r\n\r\n"
        #expect(throws: HTTPParseError.headerTooLarge) { try decode(ext, limits: limits).get() }
        let trailer = "0\r\nX: " + String(repeating: "t", count: 2000) + "\r\n\r\n"
        #expect(throws: HTTPParseError.headerTooLarge) { try decode(trailer, limits: limits).get() }
    }
}
