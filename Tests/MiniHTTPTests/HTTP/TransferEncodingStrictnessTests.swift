import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Transfer-Encoding is framed as chunked only when its value is a well-formed list whose last coding is
/// exactly `chunked` (RFC 9112 §6.1, RFC 9110 §5.6): anything a peer could read differently is refused.
@Suite("Transfer-Encoding strictness")
struct TransferEncodingStrictnessTests {
    let harness = ParseHarness()

    static let refused: [(value: String, error: HTTPParseError)] = [
        ("chunked gzip", .invalidHeaderField),       // two codings without a comma
        ("chunked=1", .invalidHeaderField),          // a parameter without ';'
        ("chunked x", .invalidHeaderField),
        ("chunked/1", .invalidHeaderField),          // '/' is not a token byte
        ("chunked;", .invalidHeaderField),           // ';' without a parameter
        ("chunked; ", .invalidHeaderField),
        ("chunked;q", .invalidHeaderField),          // a parameter needs '=' and a value
        ("chunked;q=", .invalidHeaderField),
        ("chunked;q=1", .invalidHeaderField),        // chunked defines no parameters: refused (strict)
        ("chunked ; q=1", .invalidHeaderField),
        ("gzip;level=\"9, chunked", .invalidHeaderField),  // an unterminated quoted-string
        ("gzip;level=9 x, chunked", .invalidHeaderField),
        ("gzip;=9, chunked", .invalidHeaderField),
        ("\"chunked\"", .invalidHeaderField),
        (",", .invalidHeaderField),                  // no coding at all
        ("gzip, chunked", .unsupportedTransferCoding),              // well-formed, unknown: 501
        ("gzip;level=9, chunked", .unsupportedTransferCoding),
        ("gzip ; level = \"9,\\\"x\" , chunked", .unsupportedTransferCoding),
        ("chunked, gzip", .transferEncodingNotChunked),
        ("chunked, chunked", .transferEncodingNotChunked),
    ]

    @Test("a malformed or unsupported Transfer-Encoding is refused, whole, byte by byte and split anywhere",
          arguments: refused)
    func refuses(_ value: String, _ error: HTTPParseError) {
        let bytes = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n".utf8.map { $0 }
        expectEverySplit(bytes, gives: .failed(error, after: []), value)
    }

    @Test("well-formed lists ending in chunked are chunked", arguments: [
        "chunked", "CHUNKED", "Chunked", ",chunked", "chunked,", " , chunked , ",
    ])
    func accepts(_ value: String) {
        let bytes = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n".utf8.map { $0 }
        guard case .requests(let parsed) = harness.parse(bytes), parsed.count == 1 else {
            Issue.record("refused \(value.debugDescription)")
            return
        }
        #expect(parsed[0].framing == .chunked)
        expectEverySplit(bytes, gives: harness.parse(bytes), value)
    }

    @Test("each refusal is a 400 or, for a well-formed unknown coding, a 501")
    func statuses() {
        #expect(HTTPParseError.invalidHeaderField.status.code == 400)
        #expect(HTTPParseError.transferEncodingNotChunked.status.code == 400)
        #expect(HTTPParseError.unsupportedTransferCoding.status.code == 501)
    }

    private func expectEverySplit(_ bytes: [UInt8], gives expected: ParseHarness.Outcome, _ name: String) {
        #expect(harness.parse(bytes) == expected, "\(name) whole")
        #expect(harness.parse(bytes, cuts: Array(1..<bytes.count)) == expected, "\(name) byte by byte")
        for cut in 1..<bytes.count {
            #expect(harness.parse(bytes, cuts: [cut]) == expected, "\(name) split at \(cut)")
        }
    }
}
