import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Client address from the configured forwarding header")
struct ForwardedClientTests {
    /// Parses the field lines and resolves them against `trusted`: the client's text, `peer` or `unknown`.
    func client(
        _ lines: [String], header: ForwardedHeader = .xForwardedFor, trusted: [String] = ["10.0.0.0/8"]
    ) throws -> String {
        let request = "GET / HTTP/1.1\r\nHost: t\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n"
        let bytes = Array(request.utf8)
        var parser = RequestParser(limits: ParserLimits())
        var head = RequestHead()
        let result = bytes.withUnsafeBytes { parser.parse($0, into: &head) }
        guard case .complete = result else { throw ParseFailed() }
        let ranges = try AddressRanges(trusted)
        switch bytes.withUnsafeBytes({ ForwardedClient.resolve($0, fields: head.fields, header: header, trusted: ranges) }) {
        case .peer: return "peer"
        case .unknown: return "unknown"
        case .client(let address): return address.description
        }
    }

    struct ParseFailed: Error {}

    @Test("the rightmost address that is not a trusted proxy is the client")
    func rightmostUntrusted() throws {
        #expect(try client(["X-Forwarded-For: 203.0.113.7"]) == "203.0.113.7")
        #expect(try client(["X-Forwarded-For: 198.51.100.1, 203.0.113.7, 10.0.0.2"]) == "203.0.113.7")
        // A client cannot forge its way in: what it wrote on the left is not believed.
        #expect(try client(["X-Forwarded-For: 1.1.1.1, 203.0.113.7"]) == "203.0.113.7")
        #expect(try client(["X-Forwarded-For: 2001:db8::7"]) == "2001:db8::7")
    }

    @Test("several field lines are one list, the last line nearest")
    func severalLines() throws {
        #expect(try client(["X-Forwarded-For: 198.51.100.1", "X-Forwarded-For: 10.1.1.1, 10.2.2.2"]) == "198.51.100.1")
    }

    @Test("when every address is a trusted proxy, the leftmost is taken")
    func allTrusted() throws {
        #expect(try client(["X-Forwarded-For: 10.0.0.9, 10.0.0.8"]) == "10.0.0.9")
    }

    @Test("only the configured header is read: the other is the client's own word", arguments: [
        (["Forwarded: for=10.9.9.9", "X-Forwarded-For: 203.0.113.7"], ForwardedHeader.xForwardedFor, "203.0.113.7"),
        (["X-Forwarded-For: 203.0.113.7", "Forwarded: for=10.9.9.9"], .xForwardedFor, "203.0.113.7"),
        (["Forwarded: for=unknown", "X-Forwarded-For: 203.0.113.7"], .xForwardedFor, "203.0.113.7"),
        (["Forwarded: for=192.0.2.60"], .xForwardedFor, "peer"),
        (["X-Forwarded-For: 198.51.100.9", "Forwarded: for=192.0.2.60"], .forwarded, "192.0.2.60"),
        (["X-Forwarded-For: 198.51.100.9"], .forwarded, "peer"),
        (["X-Forwarded-For: 198.51.100.9", "Forwarded: for=192.0.2.60"], ForwardedHeader.none, "peer"),
    ])
    func oneHeader(_ lines: [String], _ header: ForwardedHeader, _ expected: String) throws {
        #expect(try client(lines, header: header) == expected)
    }

    @Test("a node that is not an address makes the client unknown, never the proxy", arguments: [
        (["X-Forwarded-For: nonsense"], ForwardedHeader.xForwardedFor),
        (["X-Forwarded-For: 203.0.113.7, unknown, 10.0.0.2"], .xForwardedFor),
        (["X-Forwarded-For: unknown"], .xForwardedFor),
        (["X-Forwarded-For: ::"], .xForwardedFor),
        (["X-Forwarded-For: 203.0.113.7:99999"], .xForwardedFor),
        (["X-Forwarded-For: [10.0.0.1]"], .xForwardedFor),
        (["Forwarded: for=unknown"], .forwarded),
        (["Forwarded: for=_hidden"], .forwarded),
        (["Forwarded: for=192.0.2.60, for=_hidden"], .forwarded),
        (["Forwarded: proto=https"], .forwarded),
        (["Forwarded: for=2001:db8::1"], .forwarded),
    ])
    func unknown(_ lines: [String], _ header: ForwardedHeader) throws {
        #expect(try client(lines, header: header) == "unknown")
    }

    @Test("X-Forwarded-For entries with a port are address:port", arguments: [
        ("X-Forwarded-For: 203.0.113.7:5555", "203.0.113.7"),
        ("X-Forwarded-For: [2001:db8::7]:5555", "2001:db8::7"),
        ("X-Forwarded-For: [2001:db8::7]", "2001:db8::7"),
        ("X-Forwarded-For: 198.51.100.1, 203.0.113.7:5555, 10.0.0.2:80", "203.0.113.7"),
    ])
    func withPort(_ line: String, _ expected: String) throws {
        #expect(try client([line]) == expected)
    }

    @Test("Forwarded: for= in its forms")
    func forwarded() throws {
        #expect(try client(["Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43"], header: .forwarded) == "192.0.2.60")
        #expect(try client(["Forwarded: for=\"[2001:db8:cafe::17]:4711\""], header: .forwarded) == "2001:db8:cafe::17")
        #expect(try client(["Forwarded: For=\"192.0.2.61:8080\", for=10.0.0.3"], header: .forwarded) == "192.0.2.61")
        #expect(try client(["Forwarded: for=\"192.0.2.61:_port\""], header: .forwarded) == "192.0.2.61")
    }

    @Test("no forwarding fields: the peer is the client")
    func none() throws {
        #expect(try client([]) == "peer")
        #expect(try client(["X-Forwarded-For: "]) == "peer")
    }
}
