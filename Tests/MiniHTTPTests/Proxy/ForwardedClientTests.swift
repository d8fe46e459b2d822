import Testing
@testable import MiniHTTP

@Suite("Client address from Forwarded and X-Forwarded-For")
struct ForwardedClientTests {
    /// Parses the field lines and resolves them against `trusted`.
    func client(_ lines: [String], trusted: [String] = ["10.0.0.0/8"]) throws -> String? {
        let request = "GET / HTTP/1.1\r\nHost: t\r\n" + lines.map { $0 + "\r\n" }.joined() + "\r\n"
        let bytes = Array(request.utf8)
        var parser = RequestParser(limits: ParserLimits())
        var head = RequestHead()
        let result = bytes.withUnsafeBytes { parser.parse($0, into: &head) }
        guard case .complete = result else { throw ParseFailed() }
        let ranges = try AddressRanges(trusted)
        return bytes.withUnsafeBytes { ForwardedClient.resolve($0, fields: head.fields, trusted: ranges) }?.description
    }

    struct ParseFailed: Error {}

    @Test("the rightmost address that is not a trusted proxy is the client")
    func rightmostUntrusted() throws {
        #expect(try client(["X-Forwarded-For: 203.0.113.7"]) == "203.0.113.7")
        #expect(try client(["X-Forwarded-For: 198.51.100.1, 203.0.113.7, 10.0.0.2"]) == "203.0.113.7")
        // A client cannot forge its way in: what it wrote on the left is not believed.
        #expect(try client(["X-Forwarded-For: 1.1.1.1, 203.0.113.7"]) == "203.0.113.7")
    }

    @Test("several field lines are one list, the last line nearest")
    func severalLines() throws {
        #expect(try client(["X-Forwarded-For: 198.51.100.1", "X-Forwarded-For: 10.1.1.1, 10.2.2.2"]) == "198.51.100.1")
    }

    @Test("when every address is a trusted proxy, the leftmost is taken")
    func allTrusted() throws {
        #expect(try client(["X-Forwarded-For: 10.0.0.9, 10.0.0.8"]) == "10.0.0.9")
    }

    @Test("an entry that is not an address ends the walk")
    func garbage() throws {
        #expect(try client(["X-Forwarded-For: nonsense"]) == nil)
        #expect(try client(["X-Forwarded-For: 203.0.113.7, unknown, 10.0.0.2"]) == "10.0.0.2")
    }

    @Test("Forwarded: for= in its forms, and it wins over X-Forwarded-For")
    func forwarded() throws {
        #expect(try client(["Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43"]) == "192.0.2.60")
        #expect(try client(["Forwarded: for=\"[2001:db8:cafe::17]:4711\""]) == "2001:db8:cafe::17")
        #expect(try client(["Forwarded: For=\"192.0.2.61:8080\", for=10.0.0.3"]) == "192.0.2.61")
        #expect(try client(["X-Forwarded-For: 198.51.100.9", "Forwarded: for=192.0.2.60"]) == "192.0.2.60")
        #expect(try client(["Forwarded: for=unknown"]) == nil)
        #expect(try client(["Forwarded: proto=https"]) == nil)
    }

    @Test("no forwarding fields: nothing to resolve")
    func none() throws {
        #expect(try client([]) == nil)
    }
}
