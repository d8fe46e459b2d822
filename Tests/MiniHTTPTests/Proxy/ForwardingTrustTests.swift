import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Who the client is behind a proxy, end to end: one trusted header, failing closed, ports, PROXY v1
/// IPv4-mapped text, mapped ranges in statusAllow, and the per-client connection limit.
@Suite("Behind a proxy: whom to believe", .serialized)
struct ForwardingTrustTests {
    static func whoAmI(_ router: inout Router) {
        router.get("/who") { request in .text(request.remoteAddress) }
    }

    static func get(_ path: String, _ fields: String = "") -> String {
        "GET \(path) HTTP/1.1\r\nHost: t\r\n\(fields)\r\n"
    }

    @Test("a client-sent Forwarded cannot override the X-Forwarded-For the proxy appended, nor pass statusAllow")
    func forgedForwarded() throws {
        let server = try TestServer(configure: {
            $0.trustedProxies = ["127.0.0.1"]
            $0.statusAllow = ["10.0.0.0/8"]
        }, routes: Self.whoAmI)
        let client = try server.client()
        let forged = "Forwarded: for=10.9.9.9\r\nX-Forwarded-For: 203.0.113.7\r\n"
        #expect(try client.request(Self.get("/who", forged)).text == "203.0.113.7")
        #expect(try client.request(Self.get("/status", forged)).status == 403)
    }

    @Test("an unknown or obfuscated node is an unknown client: logged '-', admitted by no statusAllow entry", arguments: [
        (ForwardedHeader.forwarded, "Forwarded: for=unknown\r\n"),
        (.forwarded, "Forwarded: for=_hidden\r\n"),
        (.xForwardedFor, "X-Forwarded-For: unknown\r\n"),
    ])
    func unknownClient(_ header: ForwardedHeader, _ field: String) throws {
        // The allow-list admits the balancer itself (for its health checks): an unknown client must not pass.
        let server = try TestServer(configure: {
            $0.trustedProxies = ["127.0.0.1"]
            $0.statusAllow = ["127.0.0.1"]
            $0.forwardedHeader = header
        }, routes: Self.whoAmI)
        let client = try server.client()
        #expect(try client.request(Self.get("/who", field)).text == "-")
        #expect(try client.request(Self.get("/status", field)).status == 403)
        #expect(try client.request(Self.get("/status")).status == 200)
    }

    @Test("X-Forwarded-For entries with a port name the client", arguments: [
        ("203.0.113.7:5555", "203.0.113.7"), ("[2001:db8::7]:5555", "2001:db8::7"),
    ])
    func portInForwardedFor(_ entry: String, _ expected: String) throws {
        let server = try TestServer(configure: { $0.trustedProxies = ["127.0.0.1"] }, routes: Self.whoAmI)
        #expect(try server.client().request(Self.get("/who", "X-Forwarded-For: \(entry)\r\n")).text == expected)
    }

    @Test("forwardedHeader null: no header is believed")
    func noHeader() throws {
        let server = try TestServer(configure: {
            $0.trustedProxies = ["127.0.0.1"]
            $0.forwardedHeader = .none
        }, routes: Self.whoAmI)
        let client = try server.client()
        #expect(try client.request(Self.get("/who", "X-Forwarded-For: 203.0.113.7\r\n")).text == "127.0.0.1")
    }

    @Test("PROXY v1 TCP6 with IPv4-mapped text (HAProxy across families) names the IPv4 client")
    func proxyVersion1Mapped() throws {
        let server = try TestServer(configure: {
            $0.trustedProxies = ["127.0.0.1"]
            $0.proxyProtocol = true
        }, routes: Self.whoAmI)
        let client = try server.client()
        let response = try client.request("PROXY TCP6 ::ffff:10.9.9.9 ::ffff:127.0.0.1 5555 80\r\n" + Self.get("/who"))
        #expect(response.status == 200)
        #expect(response.text == "10.9.9.9")
    }

    @Test("'::ffff:10.0.0.0/8' in statusAllow is refused at start (it held every IPv4 client)")
    func mappedPrefixInStatusAllow() {
        do {
            _ = try TestServer(configure: { $0.statusAllow = ["::ffff:10.0.0.0/8"] })
            Issue.record("the server started")
        } catch {
            #expect("\(error)" == "statusAllow: '::ffff:10.0.0.0/8' is an IPv4-mapped range shorter than /96, which would hold every IPv4 client: write it as an IPv4 range")
        }
    }

    @Test("maxConnectionsPerClient does not count a trusted proxy's connections; others are still held to it")
    func perClientLimitBehindBalancer() throws {
        let balanced = try TestServer(configure: {
            $0.trustedProxies = ["127.0.0.1"]
            $0.maxConnectionsPerClient = 2
        }, routes: Self.whoAmI)
        let clients = try (0..<4).map { _ in try balanced.client() }
        for client in clients { #expect(try client.request(Self.get("/who")).status == 200) }

        let direct = try TestServer(configure: { $0.maxConnectionsPerClient = 2 }, routes: Self.whoAmI)
        let held = try (0..<2).map { _ in try direct.client() }
        for client in held { #expect(try client.request(Self.get("/who")).status == 200) }
        #expect(try direct.client().request(Self.get("/who")).status == 503)
    }
}

@Suite("Connection limiter")
struct ConnectionLimiterTests {
    @Test("a peer without an address ('-', a Unix socket) is not held to the per-client limit")
    func noIdentity() {
        let limiter = ConnectionLimiter(maxConnections: 10, maxPerClient: 1)
        #expect((0..<5).allSatisfy { _ in limiter.admit("-") })
        #expect(limiter.admit("192.0.2.1"))
        #expect(!limiter.admit("192.0.2.1"))
        for _ in 0..<5 { limiter.release("-") }
        limiter.release("192.0.2.1")
        #expect(limiter.admit("192.0.2.1"))
    }

    @Test("trusted proxies are exempt from the per-client limit, not from maxConnections")
    func exempt() throws {
        let limiter = ConnectionLimiter(maxConnections: 3, maxPerClient: 1, exempt: try AddressRanges(["10.0.0.0/8"]))
        #expect(limiter.admit("10.0.0.1"))
        #expect(limiter.admit("10.0.0.1"))
        #expect(limiter.admit("10.0.0.1"))
        #expect(!limiter.admit("10.0.0.1"))
    }
}
