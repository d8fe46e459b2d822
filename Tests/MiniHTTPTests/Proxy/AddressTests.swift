import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Addresses and ranges")
struct AddressTests {
    @Test("IPv4 and IPv6 addresses parse and print back", arguments: [
        "127.0.0.1", "192.0.2.255", "::1", "2001:db8::1", "fe80::1:2:3:4",
    ])
    func roundTrip(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == text)
    }

    @Test("text that is not an address is refused", arguments: [
        "", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4:80", "[::1]", "::g", " 1.2.3.4",
    ])
    func refused(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("an IPv4-mapped IPv6 address is the IPv4 address")
    func mapped() throws {
        #expect(IPAddress("::ffff:10.1.2.3") == IPAddress("10.1.2.3"))
        #expect(try #require(IPAddress("::ffff:10.1.2.3")).description == "10.1.2.3")
    }

    @Test("CIDR ranges contain what they should", arguments: [
        ("10.0.0.0/8", "10.255.1.2", true),
        ("10.0.0.0/8", "11.0.0.1", false),
        ("192.168.1.0/24", "192.168.1.77", true),
        ("192.168.1.0/24", "192.168.2.1", false),
        ("127.0.0.1", "127.0.0.1", true),
        ("127.0.0.1", "127.0.0.2", false),
        ("0.0.0.0/0", "8.8.8.8", true),
        ("0.0.0.0/0", "::1", false),
        ("::1", "::1", true),
        ("fd00::/8", "fd12:3456::1", true),
        ("fd00::/8", "fe80::1", false),
        ("2001:db8::/64", "2001:db8::ffff:1", true),
        ("2001:db8::/64", "2001:db8:0:1::1", false),
        ("10.0.0.0/8", "::ffff:10.9.9.9", true),
        ("::ffff:10.0.0.0/104", "10.9.9.9", true),
        ("::ffff:10.0.0.0/104", "127.0.0.1", false),
        ("::/0", "127.0.0.1", false),
        ("::/0", "2001:db8::1", true),
        ("::/8", "10.1.2.3", false),
    ])
    func contains(_ range: String, _ address: String, _ expected: Bool) throws {
        let ranges = try AddressRanges([range])
        #expect(ranges.contains(try #require(IPAddress(address))) == expected)
    }

    @Test("an IPv4-mapped range shorter than /96 is refused: it would hold every IPv4 client", arguments: [
        "::ffff:10.0.0.0/8", "::ffff:127.0.0.1/0", "::ffff:0.0.0.0/95",
    ])
    func mappedShortPrefix(_ entry: String) {
        #expect(throws: AddressRanges.InvalidEntry.self) { try AddressRanges([entry]) }
        do {
            _ = try AddressRanges([entry])
        } catch {
            #expect(error.message == "'\(entry)' is an IPv4-mapped range shorter than /96, which would hold every IPv4 client: write it as an IPv4 range")
        }
    }

    @Test("the unknown client is in no range")
    func unknownInNoRange() throws {
        #expect(try AddressRanges(["::/0", "::"]).contains(.unknown) == false)
    }

    @Test("malformed ranges are refused, naming the entry", arguments: [
        "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "example.com", "10.0.0.0/8/8", "",
    ])
    func malformedRange(_ entry: String) {
        #expect(throws: AddressRanges.InvalidEntry.self) { try AddressRanges(["127.0.0.1", entry]) }
    }
}
