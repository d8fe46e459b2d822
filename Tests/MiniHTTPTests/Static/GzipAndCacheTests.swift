import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Static files: gzip, the file cache, Cache-Control, listings", .serialized)
struct GzipAndCacheTests {
    static let css = String(repeating: "body { margin: 0; padding: 0; color: #333; }\n", count: 100)  // 4,500 bytes

    func get(_ client: TestClient, _ path: String, _ fields: String = "", method: String = "GET") throws
        -> TestClient.Response
    {
        try client.request("\(method) \(path) HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
    }

    @Test("a compressible file is gzipped when the client accepts it, with Vary and its own ETag")
    func gzips() throws {
        let server = try TestServer()
        server.publicFolder.write("site.css", Self.css)
        let client = try server.client()
        let plain = try get(client, "/site.css")
        let zipped = try get(client, "/site.css", "Accept-Encoding: gzip, deflate, br\r\n")
        #expect(plain.header("Content-Encoding") == nil)
        #expect(plain.header("Vary") == "Accept-Encoding")
        #expect(zipped.header("Content-Encoding") == "gzip")
        #expect(zipped.header("Vary") == "Accept-Encoding")
        #expect(zipped.header("ETag") != plain.header("ETag"))
        #expect(zipped.body.count < plain.body.count / 5)
        #expect(gunzip(zipped.body) == Array(Self.css.utf8))
        // Served from the cache the second time: the same bytes.
        #expect(try get(client, "/site.css", "Accept-Encoding: gzip\r\n").body == zipped.body)
    }

    @Test("q=0 refuses gzip; * accepts it", arguments: [
        ("gzip;q=0", false), ("gzip; q=0.000, deflate", false), ("*", true), ("*;q=0", false),
        ("identity", false), ("deflate, gzip;q=0.5", true), ("GZIP", true), ("*, gzip;q=0", false),
    ])
    func negotiation(_ acceptEncoding: String, _ gzipped: Bool) throws {
        let server = try TestServer()
        server.publicFolder.write("site.css", Self.css)
        let response = try get(server.client(), "/site.css", "Accept-Encoding: \(acceptEncoding)\r\n")
        #expect((response.header("Content-Encoding") == "gzip") == gzipped)
    }

    @Test("small files, images, Range and 304 responses are never gzipped; HEAD gets the gzip variant's headers")
    func notGzipped() throws {
        let server = try TestServer()
        server.publicFolder.write("site.css", Self.css)
        server.publicFolder.write("tiny.css", "a{}")
        server.publicFolder.write("pic.png", Self.css)
        let client = try server.client()
        #expect(try get(client, "/tiny.css", "Accept-Encoding: gzip\r\n").header("Content-Encoding") == nil)
        #expect(try get(client, "/pic.png", "Accept-Encoding: gzip\r\n").header("Content-Encoding") == nil)
        let ranged = try get(client, "/site.css", "Accept-Encoding: gzip\r\nRange: bytes=0-9\r\n")
        #expect(ranged.status == 206)
        #expect(ranged.header("Content-Encoding") == nil)
        let zipped = try get(client, "/site.css", "Accept-Encoding: gzip\r\n")
        let etag = try #require(zipped.header("ETag"))
        let notModified = try get(client, "/site.css", "Accept-Encoding: gzip\r\nIf-None-Match: \(etag)\r\n")
        #expect(notModified.status == 304)
        #expect(notModified.body.isEmpty)
        let head = try get(client, "/site.css", "Accept-Encoding: gzip\r\n", method: "HEAD")
        #expect(head.header("Content-Encoding") == "gzip")
        #expect(head.header("Content-Length") == "\(zipped.body.count)")
    }

    @Test("a precompressed name.gz is served as it is")
    func precompressed() throws {
        let server = try TestServer()
        server.publicFolder.write("app.js", String(repeating: "console.log(1);\n", count: 200))
        let marker = try #require(Gzip.compress(Array("precompressed!".utf8), level: 9))
        let path = server.publicFolder.path + "/app.js.gz"
        let file = fopen(path, "w")
        _ = marker.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        let response = try get(server.client(), "/app.js", "Accept-Encoding: gzip\r\n")
        #expect(response.header("Content-Encoding") == "gzip")
        #expect(gunzip(response.body) == Array("precompressed!".utf8))
    }

    @Test("a file rewritten in place is noticed within validitySeconds — never a stale body with a fresh ETag")
    func staleCache() throws {
        let server = try TestServer(configure: { $0.fileCache.validitySeconds = 1 })
        server.publicFolder.write("page.html", "version one")
        let client = try server.client()
        let first = try get(client, "/page.html")
        #expect(first.text == "version one")
        usleep(20_000)
        server.publicFolder.write("page.html", "version two, longer")
        let changed = TestServer.eventually(seconds: 3) {
            (try? self.get(client, "/page.html"))?.text == "version two, longer"
        }
        #expect(changed)
        let second = try get(client, "/page.html")
        #expect(second.header("ETag") != first.header("ETag"))
        #expect(second.header("Content-Length") == "19")
        server.publicFolder.remove("page.html")
        #expect(TestServer.eventually(seconds: 3) { (try? self.get(client, "/page.html"))?.status == 404 })
    }

    @Test("Cache-Control: the longest matching prefix wins, then the extension")
    func cacheControl() throws {
        let server = try TestServer(configure: {
            $0.cacheControl = ["/assets/": "public, max-age=31536000, immutable", "/assets/live/": "no-store", ".html": "no-cache"]
        })
        server.publicFolder.write("assets/live/feed.json", "{}")
        let client = try server.client()
        #expect(try get(client, "/assets/app.js").header("Cache-Control") == "public, max-age=31536000, immutable")
        #expect(try get(client, "/assets/live/feed.json").header("Cache-Control") == "no-store")
        #expect(try get(client, "/").header("Cache-Control") == "no-cache")
        server.publicFolder.write("other.txt", "x")
        #expect(try get(client, "/other.txt").header("Cache-Control") == nil)
    }

    @Test("directory listing, when enabled, escapes names and percent-encodes links; off by default it is 403")
    func listing() throws {
        let off = try TestServer()
        off.publicFolder.write("files/a.txt", "a")
        #expect(try get(off.client(), "/files/").status == 403)

        let server = try TestServer(configure: { $0.directoryListing = true })
        server.publicFolder.write("files/<b>&x.txt", "a")
        server.publicFolder.write("files/sp ace.txt", "b")
        server.publicFolder.write("files/.hidden", "c")
        server.publicFolder.write("files/sub/x.txt", "d")
        let page = try get(server.client(), "/files/")
        #expect(page.status == 200)
        #expect(page.text.contains("&lt;b&gt;&amp;x.txt"))
        #expect(page.text.contains("href=\"%3Cb%3E%26x.txt\""))
        #expect(page.text.contains("href=\"sp%20ace.txt\""))
        #expect(page.text.contains("href=\"sub/\""))
        #expect(!page.text.contains(".hidden"))
        #expect(!page.text.contains("<b>"))
    }

    @Test("a handler may ask for its response to be gzipped")
    func handlerCompression() throws {
        let text = String(repeating: "streamed export line\n", count: 200)
        let server = try TestServer(routes: { router in
            router.get("/export") { _ in
                var response = Response.text(text)
                response.compress = true
                return response
            }
        })
        let client = try server.client()
        let zipped = try get(client, "/export", "Accept-Encoding: gzip\r\n")
        #expect(zipped.header("Content-Encoding") == "gzip")
        #expect(gunzip(zipped.body) == Array(text.utf8))
        #expect(try get(client, "/export").body == Array(text.utf8))
    }

    @Test("a client that disconnects mid-download frees the connection and its file")
    func disconnectMidSendfile() throws {
        let server = try TestServer(configure: { $0.fileCache.maxEntries = 0 })
        server.publicFolder.write("huge.bin", String(repeating: "z", count: 64 << 20))
        _ = try get(server.client(), "/")  // warm up
        #expect(TestServer.eventually { server.server.statusTotals().active == 0 })
        let before = TestServer.socketDescriptors(port: server.port)
        do {
            let client = try server.client()
            try client.send("GET /huge.bin HTTP/1.1\r\nHost: t\r\n\r\n")
            usleep(100_000)  // the server is now blocked in sendfile with a full socket
            #expect(TestServer.fileDescriptors(endingWith: "/huge.bin") == 1)
        }  // the client closes with megabytes unread: a reset
        #expect(TestServer.eventually { server.server.statusTotals().active == 0 })
        #expect(TestServer.eventually { TestServer.socketDescriptors(port: server.port) <= before })
        #expect(TestServer.eventually { TestServer.fileDescriptors(endingWith: "/huge.bin") == 0 })
    }
}
