import Foundation
import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Behind a proxy: client addresses, PROXY protocol, statusAllow, metrics", .serialized)
struct BehindProxyTests {
    static func whoAmI(_ router: inout Router) {
        router.get("/who") { request in .text(request.remoteAddress) }
    }

    @Test("from a trusted proxy, X-Forwarded-For names the client (Forwarded is the client's own word); the access log shows it")
    func trustedForwarding() throws {
        let logFile = TemporaryDirectory()
        let logPath = logFile.path + "/access.log"
        let server = try TestServer(configure: {
            $0.trustedProxies = ["127.0.0.0/8"]
            $0.accessLog = true
            $0.accessLogPath = logPath
        }, routes: Self.whoAmI)
        let client = try server.client()
        #expect(try client.request("GET /who HTTP/1.1\r\nHost: t\r\n\r\n").text == "127.0.0.1")
        #expect(try client.request("GET /who HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 1.2.3.4, 203.0.113.9\r\n\r\n").text
            == "203.0.113.9")
        #expect(try client.request("GET /who HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 1.2.3.4\r\nForwarded: for=\"[2001:db8::7]:9\"\r\n\r\n").text
            == "1.2.3.4")
        #expect(try client.request("GET /who HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 10.1.1.1, unknown\r\n\r\n").text == "-")
        // The next request on the same connection is the proxy's own again.
        #expect(try client.request("GET /who HTTP/1.1\r\nHost: t\r\n\r\n").text == "127.0.0.1")
        server.stop()
        let log = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ").first ?? "" }
        #expect(log == ["127.0.0.1", "203.0.113.9", "1.2.3.4", "-", "127.0.0.1"])
    }

    @Test("from anyone else, forwarding fields change nothing")
    func untrustedForwarding() throws {
        let server = try TestServer(configure: { $0.trustedProxies = ["10.0.0.0/8"] }, routes: Self.whoAmI)
        let client = try server.client()
        #expect(try client.request("GET /who HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n").text == "127.0.0.1")
        #expect(try client.request("GET /who HTTP/1.1\r\nHost: t\r\nForwarded: for=203.0.113.9\r\n\r\n").text == "127.0.0.1")
        let open = try TestServer(routes: Self.whoAmI)
        #expect(try open.client().request("GET /who HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n").text == "127.0.0.1")
    }

    @Test("with proxyProtocol, a trusted proxy's PROXY v1 or v2 header names the client")
    func proxyProtocol() throws {
        let server = try TestServer(configure: {
            $0.trustedProxies = ["127.0.0.1"]
            $0.proxyProtocol = true
        }, routes: Self.whoAmI)
        let v1 = try server.client()
        try v1.send("PROXY TCP4 198.51.100.23 127.0.0.1 40000 80\r\n")
        usleep(10_000)  // the header may arrive on its own
        #expect(try v1.request("GET /who HTTP/1.1\r\nHost: t\r\n\r\n").text == "198.51.100.23")
        #expect(try v1.request("GET /who HTTP/1.1\r\nHost: t\r\n\r\n").text == "198.51.100.23")

        let v2 = try server.client()
        let header: [UInt8] = ProxyProtocol.version2Signature
            + [0x21, 0x21, 0x00, 0x24, 0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x42]
            + [UInt8](repeating: 0, count: 15) + [1] + [0x9C, 0x40, 0x00, 0x50]
        try v2.send(header + Array("GET /who HTTP/1.1\r\nHost: t\r\n\r\n".utf8))
        #expect(try v2.readResponse().text == "2001:db8::42")

        let local = try server.client()
        #expect(try local.request("PROXY UNKNOWN\r\nGET /who HTTP/1.1\r\nHost: t\r\n\r\n").text == "127.0.0.1")
    }

    @Test("with proxyProtocol, a trusted peer without the header is refused with 400")
    func proxyProtocolMissing() throws {
        let server = try TestServer(configure: {
            $0.trustedProxies = ["127.0.0.1"]
            $0.proxyProtocol = true
        }, routes: Self.whoAmI)
        let client = try server.client()
        #expect(try client.request("GET /who HTTP/1.1\r\nHost: t\r\n\r\n").status == 400)
        #expect(client.isClosedByServer())
    }

    @Test("statusAllow: others get 403 from /status and /metrics; the allowed, and clients a trusted proxy names, get them")
    func statusAllow() throws {
        let closed = try TestServer(configure: {
            $0.statusAllow = ["10.0.0.0/8"]
            $0.metricsPath = "/metrics"
        })
        let client = try closed.client()
        #expect(try client.request("GET /status HTTP/1.1\r\nHost: t\r\n\r\n").status == 403)
        #expect(try client.request("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n").status == 403)
        #expect(try client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)

        let proxied = try TestServer(configure: {
            $0.statusAllow = ["10.0.0.0/8", "::1"]
            $0.trustedProxies = ["127.0.0.1"]
            $0.metricsPath = "/metrics"
        })
        let viaProxy = try proxied.client()
        #expect(try viaProxy.request("GET /status HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n").status == 200)
        #expect(try viaProxy.request("GET /metrics HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 192.0.2.1\r\n\r\n").status == 403)
    }

    @Test("a bad address in trustedProxies or statusAllow stops the server from starting, naming the key")
    func badRanges() {
        #expect(throws: ServerError.self) { try TestServer(configure: { $0.trustedProxies = ["10.0.0.0/40"] }) }
        do {
            _ = try TestServer(configure: { $0.statusAllow = ["nonsense"] })
        } catch {
            #expect("\(error)" == "statusAllow: 'nonsense' is not an IP address or CIDR range")
        }
    }
}

@Suite("Prometheus metrics", .serialized)
struct MetricsTests {
    /// Metric lines (not comments) as name-with-labels → value.
    static func samples(_ text: String) -> [String: String] {
        var samples: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { samples[String(parts[0])] = String(parts[1]) }
        }
        return samples
    }

    @Test("/metrics counts requests by method and status class, durations, connections and bytes")
    func counts() throws {
        let server = try TestServer(configure: { $0.metricsPath = "/metrics" })
        let client = try server.client()
        for _ in 0..<3 { #expect(try client.request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200) }
        #expect(try client.request("HEAD /missing HTTP/1.1\r\nHost: t\r\n\r\n").status == 404)
        #expect(try client.request("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n").status == 405)
        #expect(try client.request("DELETE /x HTTP/1.1\r\nHost: t\r\n\r\n").status == 404)
        // Counters are published once per loop turn; the scrape sees every earlier request.
        var text = ""
        let complete = TestServer.eventually {
            guard let response = try? client.request("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n") else { return false }
            text = response.text
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            return Self.samples(text)["minihttp_requests_total{method=\"other\",status=\"4xx\"}"] == "1"
        }
        #expect(complete)
        let samples = Self.samples(text)
        #expect(samples["minihttp_requests_total{method=\"GET\",status=\"2xx\"}"].flatMap { Int($0) } ?? 0 >= 3)
        #expect(samples["minihttp_requests_total{method=\"HEAD\",status=\"4xx\"}"] == "1")
        #expect(samples["minihttp_requests_total{method=\"POST\",status=\"4xx\"}"] == "1")
        #expect(samples["minihttp_requests_total{method=\"GET\",status=\"5xx\"}"] == "0")
        let count = Int(samples["minihttp_request_duration_seconds_count"] ?? "") ?? -1
        #expect(count >= 6)
        #expect(samples["minihttp_request_duration_seconds_bucket{le=\"+Inf\"}"] == String(count))
        #expect(samples["minihttp_request_duration_seconds_bucket{le=\"0.001\"}"] != nil)
        #expect(samples["minihttp_connections_active"] == "1")
        #expect(samples["minihttp_timeouts_total{kind=\"header\"}"] == "0")
        #expect(Int(samples["minihttp_sent_bytes_total"] ?? "") ?? 0 > 0)
        #expect(samples["minihttp_draining"] == "0")
        // Every family is declared once with HELP and TYPE before its samples.
        let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
        #expect(types.count == Set(types).count)
        #expect(types.count == 12)
    }

    @Test("seconds are written exactly", arguments: [
        (0, "0"), (1_000, "0.001"), (5_000, "0.005"), (1_000_000, "1"), (2_500_000, "2.5"), (1_234_567, "1.234567"),
    ])
    func seconds(_ micros: Int, _ text: String) {
        var bytes: [UInt8] = []
        PrometheusMetrics.appendSeconds(micros: micros, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == text)
    }

    @Test("metrics are off unless metricsPath is set")
    func offByDefault() throws {
        let server = try TestServer()
        #expect(try server.client().request("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n").status == 404)
    }
}
