import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Conditionals, ranges, headers and types (issue 12, items 14 and 15).
@Suite("Static files: ranges, list fields, nosniff and media types", .serialized)
struct RangesAndHeadersTests {
    static let alphabet = String(repeating: "abcdefghijklmnopqrstuvwxyz", count: 100)  // 2,600 bytes

    func server() throws -> TestServer {
        let server = try TestServer(configure: { $0.gzip.enabled = false })
        server.publicFolder.write("data.txt", Self.alphabet)
        server.publicFolder.write("empty.txt", "")
        return server
    }

    func get(_ client: TestClient, _ path: String = "/data.txt", _ fields: String = "") throws -> TestClient.Response {
        try client.request("GET \(path) HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
    }

    @Test("If-Match and If-None-Match split over two field lines: every line counts (RFC 9110 §5.3)")
    func listOverTwoLines() throws {
        let server = try server()
        let client = try server.client()
        let etag = try #require(try get(client).header("ETag"))
        #expect(try get(client, "/data.txt", "If-Match: \"other\"\r\nIf-Match: \(etag)\r\n").status == 200)
        #expect(try get(client, "/data.txt", "If-Match: \"other\"\r\nIf-Match: \"another\"\r\n").status == 412)
        #expect(try get(client, "/data.txt", "If-None-Match: \"other\"\r\nIf-None-Match: \(etag)\r\n").status == 304)
    }

    @Test("a Range whose end lies past the file's end, however many digits, is clamped to it", arguments: [
        ("bytes=2590-99999999999999999999", 206, "klmnopqrstuvwxyz".suffix(10)),
        ("bytes=2590-5000", 206, "klmnopqrstuvwxyz".suffix(10)),
        ("bytes=-99999999999999999999", 200, Substring(alphabet)),
    ])
    func endPastTheEnd(_ range: String, _ status: Int, _ body: Substring) throws {
        let server = try server()
        let response = try get(server.client(), "/data.txt", "Range: \(range)\r\n")
        if status == 206 {
            #expect(response.status == 206)
            #expect(response.header("Content-Range") == "bytes 2590-2599/2600")
        } else {
            #expect([200, 206].contains(response.status))
        }
        #expect(response.text == String(body))
    }

    @Test("a start past the end, however many digits, is 416; a suffix on an empty file is satisfiable: 200")
    func unsatisfiableAndEmpty() throws {
        let server = try server()
        let client = try server.client()
        let past = try get(client, "/data.txt", "Range: bytes=99999999999999999999-\r\n")
        #expect(past.status == 416)
        #expect(past.header("Content-Range") == "bytes */2600")
        let suffix = try get(client, "/empty.txt", "Range: bytes=-5\r\n")
        #expect(suffix.status == 200)
        #expect(suffix.body.isEmpty)
        #expect(try get(client, "/empty.txt", "Range: bytes=0-\r\n").status == 416)
    }

    @Test("range arithmetic", arguments: [
        ("bytes=0-99999999999999999999", 10, ByteRanges.Outcome.single(0...9)),
        ("bytes=-99999999999999999999", 10, .single(0...9)),
        ("bytes=99999999999999999999-", 10, .unsatisfiable),
        ("bytes=99999999999999999999-99999999999999999999", 10, .unsatisfiable),
        ("bytes=-5", 0, .ignore),
        ("bytes=-0", 0, .unsatisfiable),
        ("bytes=0-", 0, .unsatisfiable),
        ("bytes=0-0,-5", 0, .ignore),
        ("bytes=5-2", 10, .ignore),
    ])
    func arithmetic(_ value: String, _ size: Int, _ outcome: ByteRanges.Outcome) {
        #expect(ByteRanges.evaluate(Array(value.utf8), size: size) == outcome)
    }

    @Test("static responses carry X-Content-Type-Options: nosniff (200, 206, 304, 416, gzip)")
    func noSniff() throws {
        let server = try TestServer()
        server.publicFolder.write("data.txt", Self.alphabet)
        let client = try server.client()
        let plain = try get(client, "/data.txt")
        let etag = try #require(plain.header("ETag"))
        let responses = [
            plain, try get(client, "/data.txt", "Range: bytes=0-1\r\n"),
            try get(client, "/data.txt", "If-None-Match: \(etag)\r\n"),
            try get(client, "/data.txt", "Range: bytes=5000-\r\n"),
            try get(client, "/data.txt", "Accept-Encoding: gzip\r\n"),
        ]
        #expect(responses.map(\.status) == [200, 206, 304, 416, 200])
        #expect(responses.last?.header("Content-Encoding") == "gzip")
        for response in responses { #expect(response.header("X-Content-Type-Options") == "nosniff") }
    }

    @Test("media types for subtitles, AVIF, web fonts and the web app manifest", arguments: [
        ("captions.vtt", "text/vtt; charset=utf-8"), ("photo.avif", "image/avif"), ("font.woff", "font/woff"),
        ("font.woff2", "font/woff2"), ("site.webmanifest", "application/manifest+json"),
        ("SITE.WEBMANIFEST", "application/manifest+json"), ("x.webmanifesto", "application/octet-stream"),
    ])
    func mediaTypes(_ name: String, _ type: String) throws {
        #expect(MediaType.forPath(name) == type)
        let server = try TestServer()
        server.publicFolder.write(name, "x")
        #expect(try get(server.client(), "/\(name)").header("Content-Type") == type)
    }
}
