import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("PROXY protocol header")
struct ProxyProtocolTests {
    func parse(_ bytes: [UInt8]) -> ProxyProtocol.Result {
        bytes.withUnsafeBytes { ProxyProtocol.parse($0) }
    }

    func parse(_ text: String) -> ProxyProtocol.Result { parse(Array(text.utf8)) }

    @Test("version 1: TCP4, TCP6 and UNKNOWN")
    func version1() {
        #expect(parse("PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\nGET")
            == .header(length: 45, source: IPAddress("192.0.2.1")))
        #expect(parse("PROXY TCP6 2001:db8::1 2001:db8::2 1 2\r\n")
            == .header(length: 40, source: IPAddress("2001:db8::1")))
        #expect(parse("PROXY TCP6 ::ffff:10.9.9.9 ::ffff:127.0.0.1 5555 80\r\n")
            == .header(length: 53, source: IPAddress("10.9.9.9")))
        #expect(parse("PROXY UNKNOWN\r\n") == .header(length: 15, source: nil))
        #expect(parse("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n") == .header(length: 35, source: nil))
    }

    @Test("version 1: a header cut short waits for more", arguments: ["P", "PROXY", "PROXY TCP4 192.0.2.1 1"])
    func version1Incomplete(_ text: String) {
        #expect(parse(text) == .incomplete)
    }

    @Test("version 1: malformed headers are refused", arguments: [
        "GET / HTTP/1.1\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.1 56324\r\n",
        "PROXY TCP4 2001:db8::1 198.51.100.1 1 2\r\n",
        "PROXY TCP4 ::ffff:10.9.9.9 198.51.100.1 1 2\r\n",
        "PROXY TCP6 10.9.9.9 ::1 1 2\r\n",
        "PROXY TCP5 192.0.2.1 198.51.100.1 1 2\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.1 1 65536\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.1 1 2\n",
        "PROXY TCP4 192.0.2.1 198.51.100.1 1  2\r\n",
        "PROXY " + String(repeating: "A", count: 120),
    ])
    func version1Malformed(_ text: String) {
        #expect(parse(text) == .invalid)
    }

    static let signature = ProxyProtocol.version2Signature

    @Test("version 2: PROXY over IPv4 and IPv6, LOCAL, and TLVs skipped")
    func version2() {
        let v4: [UInt8] = Self.signature + [0x21, 0x11, 0x00, 0x0C, 192, 0, 2, 1, 198, 51, 100, 1, 0xDC, 0x04, 0x01, 0xBB]
        #expect(parse(v4 + Array("GET".utf8)) == .header(length: 28, source: IPAddress("192.0.2.1")))
        var v6: [UInt8] = Self.signature + [0x21, 0x21, 0x00, 0x24]
        v6 += [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
        v6 += [UInt8](repeating: 0, count: 16) + [0, 1, 0, 2]
        #expect(parse(v6) == .header(length: 52, source: IPAddress("2001:db8::1")))
        let local: [UInt8] = Self.signature + [0x20, 0x00, 0x00, 0x00]
        #expect(parse(local) == .header(length: 16, source: nil))
        let withTLV: [UInt8] = Self.signature + [0x21, 0x11, 0x00, 0x11, 10, 0, 0, 1, 10, 0, 0, 2, 0, 1, 0, 2]
            + [0x04, 0x00, 0x02, 0xAA, 0xBB]
        #expect(parse(withTLV) == .header(length: 33, source: IPAddress("10.0.0.1")))
    }

    @Test("version 2: cut short waits; a wrong signature, version or command is refused")
    func version2Errors() {
        let v4: [UInt8] = Self.signature + [0x21, 0x11, 0x00, 0x0C, 192, 0, 2, 1, 198, 51, 100, 1, 0xDC, 0x04, 0x01, 0xBB]
        for cut in [1, 12, 15, 27] { #expect(parse(Array(v4[..<cut])) == .incomplete) }
        var badSignature = v4
        badSignature[5] = 0x00
        #expect(parse(badSignature) == .invalid)
        var badVersion = v4
        badVersion[12] = 0x11
        #expect(parse(badVersion) == .invalid)
        var badCommand = v4
        badCommand[12] = 0x22
        #expect(parse(badCommand) == .invalid)
        let shortAddresses: [UInt8] = Self.signature + [0x21, 0x11, 0x00, 0x04, 1, 2, 3, 4]
        #expect(parse(shortAddresses) == .invalid)
    }
}
