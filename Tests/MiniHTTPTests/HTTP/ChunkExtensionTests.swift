import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// The chunk-size line is `chunk-size *( BWS ";" BWS name [ BWS "=" BWS value ] ) CRLF` (RFC 9112 §7.1.1):
/// after the size, whitespace may only come before a `;`, so `5 xyz` or `5 5` is never read as size 5.
@Suite("Chunk-size line strictness")
struct ChunkExtensionTests {
    static let refused = [
        "5 xyz", "5 5", "5 ", "5\t", "5 \t ", "5;", "5; ", "5;a=", "5;a= ", "5;a b", "5;a=b c", "5;a=b ",
        "5;a ", "5;=b", "5;a=\"b\"c", "5;a=\"b", "5;a=\"b\\", "5;a=b=c", "5;a/b", "5;a=\"\u{1}\"", "5,a", "5;;a",
    ]

    @Test("a malformed chunk-size line is refused, whole, byte by byte and split anywhere", arguments: refused)
    func refuses(_ line: String) {
        let bytes = Array((line + "\r\nhello\r\n0\r\n\r\n").utf8)
        for cuts in Self.feedings(bytes.count) {
            #expect(decode(bytes, cuts: cuts) == .failure(.invalidChunkedBody), "\(line.debugDescription) cut at \(cuts)")
        }
    }

    static let accepted = [
        "5", "05", "5;a", "5 ;a", "5\t;a", "5; a", "5;a=b", "5;a = b", "5;a=b;c", "5;a=b ;c", "5;a=\"\"",
        "5;a=\"b c;d\"", "5;a=\"x\\\"y\"", "5;a=\"\u{e9}\"", "5 ; a = \"b\" ; c",
    ]

    @Test("a well-formed chunk-size line gives the chunk, whole, byte by byte and split anywhere", arguments: accepted)
    func accepts(_ line: String) {
        let bytes = Array((line + "\r\nhello\r\n0\r\n\r\nNEXT").utf8)
        for cuts in Self.feedings(bytes.count) {
            #expect(decode(bytes, cuts: cuts) == .success(Decoded(body: "hello", rest: "NEXT")),
                    "\(line.debugDescription) cut at \(cuts)")
        }
    }

    @Test("the decoder keeps no input: after needMore every byte was consumed, so callers may drop it")
    func keepsNoInput() {
        #expect(ChunkedDecoder.maxPendingBytes == 0)
        // Fed byte by byte, dropping each byte after the call, as the worker does: same body as whole.
        let bytes = Array("a;x=\"y\"\r\n0123456789\r\n0\r\nT: v\r\n\r\n".utf8)
        #expect(decode(bytes, cuts: Array(1..<bytes.count)) == .success(Decoded(body: "0123456789", rest: "")))
    }

    struct Decoded: Equatable {
        var body: String
        var rest: String
    }

    /// Whole, byte by byte, and split once at every offset.
    static func feedings(_ count: Int) -> [[Int]] {
        [[], Array(1..<count)] + (1..<count).map { [$0] }
    }

    /// Feeds `bytes` in pieces ending at `cuts`, each piece dropped once decoded.
    func decode(_ bytes: [UInt8], cuts: [Int]) -> Result<Decoded, HTTPParseError> {
        var decoder = ChunkedDecoder(limits: ParserLimits())
        var body: [UInt8] = []
        var start = 0
        for end in cuts + [bytes.count] where end > start {
            let result = bytes.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[start..<end]), into: &body) }
            switch result {
            case .needMore: start = end
            case .failed(let error): return .failure(error)
            case .done(let consumed):
                return .success(Decoded(body: String(decoding: body, as: UTF8.self),
                                        rest: String(decoding: bytes[(start + consumed)...], as: UTF8.self)))
            }
        }
        return .failure(.bodyTooLarge)  // never finished: a distinct answer no case expects
    }
}
