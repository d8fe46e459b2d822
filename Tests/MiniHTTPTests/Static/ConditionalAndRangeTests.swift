import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Static files: validators, conditional and range requests", .serialized)
struct ConditionalAndRangeTests {
    static let alphabet = String(repeating: "abcdefghijklmnopqrstuvwxyz", count: 100)  // 2,600 bytes

    func server() throws -> TestServer {
        let server = try TestServer(configure: { $0.gzip.enabled = false })
        server.publicFolder.write("data.txt", Self.alphabet)
        return server
    }

    func get(_ client: TestClient, _ path: String = "/data.txt", _ fields: String = "", method: String = "GET") throws
        -> TestClient.Response
    {
        try client.request("\(method) \(path) HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
    }

    @Test("a file carries Last-Modified, a strong ETag and Accept-Ranges")
    func validators() throws {
        let server = try server()
        let response = try get(server.client())
        #expect(response.status == 200)
        let etag = try #require(response.header("ETag"))
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
        #expect(HTTPDate.parse(Array((response.header("Last-Modified") ?? "").utf8)) != nil)
        #expect(response.header("Accept-Ranges") == "bytes")
    }

    @Test("If-None-Match with the tag, in a list, weak, or * gives 304 with the validators and no body", arguments: [
        "If-None-Match: TAG", "If-None-Match: \"other\", TAG", "If-None-Match: W/TAG", "If-None-Match: *",
    ])
    func ifNoneMatch(_ field: String) throws {
        let server = try server()
        let client = try server.client()
        let first = try get(client)
        let etag = try #require(first.header("ETag"))
        let response = try get(client, "/data.txt", field.replacingOccurrences(of: "TAG", with: etag) + "\r\n")
        #expect(response.status == 304)
        #expect(response.body.isEmpty)
        #expect(response.header("ETag") == etag)
        #expect(response.header("Last-Modified") == first.header("Last-Modified"))
        #expect(response.header("Content-Length") == nil)
        #expect(try get(client).status == 200)  // framing intact after the 304
    }

    @Test("If-None-Match that does not match gives 200, and wins over If-Modified-Since")
    func ifNoneMatchWins() throws {
        let server = try server()
        let client = try server.client()
        let lastModified = try #require(try get(client).header("Last-Modified"))
        let response = try get(client, "/data.txt", "If-None-Match: \"nope\"\r\nIf-Modified-Since: \(lastModified)\r\n")
        #expect(response.status == 200)
        #expect(response.body.count == 2600)
    }

    @Test("If-Modified-Since at or after Last-Modified gives 304; before it, 200")
    func ifModifiedSince() throws {
        let server = try server()
        let client = try server.client()
        let lastModified = try #require(try get(client).header("Last-Modified"))
        #expect(try get(client, "/data.txt", "If-Modified-Since: \(lastModified)\r\n").status == 304)
        #expect(try get(client, "/data.txt", "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n").status == 200)
        #expect(try get(client, "/data.txt", "If-Modified-Since: not a date\r\n").status == 200)
    }

    @Test("If-Match and If-Unmodified-Since that fail give 412")
    func preconditionFailed() throws {
        let server = try server()
        let client = try server.client()
        let etag = try #require(try get(client).header("ETag"))
        #expect(try get(client, "/data.txt", "If-Match: \"other\"\r\n").status == 412)
        #expect(try get(client, "/data.txt", "If-Match: W/\(etag)\r\n").status == 412)  // strong comparison
        #expect(try get(client, "/data.txt", "If-Match: \(etag)\r\n").status == 200)
        #expect(try get(client, "/data.txt", "If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT\r\n").status == 412)
    }

    @Test("single ranges give 206 with Content-Range and exactly those bytes", arguments: [
        ("bytes=0-9", 0, 9), ("bytes=10-", 10, 2599), ("bytes=-5", 2595, 2599), ("bytes=2590-9999", 2590, 2599),
        ("bytes=0-0", 0, 0), ("bytes=5-10, 8-20", 5, 20), ("bytes=100-199,200-299", 100, 299),
    ])
    func singleRange(_ range: String, _ first: Int, _ last: Int) throws {
        let server = try server()
        let response = try get(server.client(), "/data.txt", "Range: \(range)\r\n")
        #expect(response.status == 206)
        #expect(response.header("Content-Range") == "bytes \(first)-\(last)/2600")
        let expected = Array(Self.alphabet.utf8)[first...last]
        #expect(response.body.elementsEqual(expected))
    }

    @Test("a range from a large file (sent with sendfile) is exact")
    func rangeOfLargeFile() throws {
        let server = try server()
        let content = String(repeating: "0123456789", count: 300_000)  // 3 MB: beyond the content cache
        server.publicFolder.write("large.bin", content)
        let response = try get(server.client(timeoutSeconds: 10), "/large.bin", "Range: bytes=1000000-2000009\r\n")
        #expect(response.status == 206)
        #expect(response.body.count == 1_000_010)
        #expect(response.body.elementsEqual(Array(content.utf8)[1_000_000...2_000_009]))
    }

    @Test("an unsatisfiable range gives 416 with Content-Range: bytes */size")
    func unsatisfiable() throws {
        let server = try server()
        let client = try server.client()
        for range in ["bytes=2600-", "bytes=5000-6000", "bytes=-0"] {
            let response = try get(client, "/data.txt", "Range: \(range)\r\n")
            #expect(response.status == 416, "\(range)")
            #expect(response.header("Content-Range") == "bytes */2600")
        }
    }

    @Test("malformed ranges, and several disjoint ones, give the whole file with 200", arguments: [
        "bytes=abc", "bytes=10-5", "items=0-5", "bytes=", "bytes=0-1,5-6", "bytes=1-2,,-",
        "bytes=" + (0..<100).map { "\($0 * 20)-\($0 * 20 + 1)" }.joined(separator: ","),
    ])
    func wholeFile(_ range: String) throws {
        let server = try server()
        let response = try get(server.client(), "/data.txt", "Range: \(range)\r\n")
        #expect(response.status == 200)
        #expect(response.body.count == 2600)
    }

    @Test("many overlapping ranges can never make the server send more than the file")
    func rangeOfDeath() throws {
        let server = try server()
        let ranges = (0..<60).map { "\($0)-2599" }.joined(separator: ",")
        let response = try get(server.client(), "/data.txt", "Range: bytes=\(ranges)\r\n")
        #expect(response.body.count <= 2600)
    }

    @Test("If-Range with the current ETag applies the range; with another, the whole file")
    func ifRange() throws {
        let server = try server()
        let client = try server.client()
        let first = try get(client)
        let etag = try #require(first.header("ETag"))
        let lastModified = try #require(first.header("Last-Modified"))
        #expect(try get(client, "/data.txt", "Range: bytes=0-9\r\nIf-Range: \(etag)\r\n").status == 206)
        #expect(try get(client, "/data.txt", "Range: bytes=0-9\r\nIf-Range: \(lastModified)\r\n").status == 206)
        #expect(try get(client, "/data.txt", "Range: bytes=0-9\r\nIf-Range: \"old\"\r\n").status == 200)
        #expect(try get(client, "/data.txt", "Range: bytes=0-9\r\nIf-Range: W/\(etag)\r\n").status == 200)
        #expect(try get(client, "/data.txt", "Range: bytes=0-9\r\nIf-Range: Sat, 01 Jan 2000 00:00:00 GMT\r\n").status == 200)
    }

    @Test("HEAD ignores Range")
    func headIgnoresRange() throws {
        let server = try server()
        let response = try get(server.client(), "/data.txt", "Range: bytes=0-9\r\n", method: "HEAD")
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == "2600")
    }
}
