import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// What is served is the file on disk (issue 12, items 6–9): precompressed `.gz` revalidated, ctime
/// compared, an ETag that a same-size same-mtime replacement changes, Last-Modified never in the future.
@Suite("Static files: freshness", .serialized)
struct FreshnessTests {
    static let script = String(repeating: "console.log('static');\n", count: 200)  // 4,600 bytes

    func get(_ client: TestClient, _ path: String, _ fields: String = "") throws -> TestClient.Response {
        try client.request("GET \(path) HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
    }

    /// Writes `bytes` to a new file beside `path`, then renames it over `path` (as deploys do: a new inode).
    static func replace(_ path: String, with bytes: [UInt8]) {
        let temporary = path + ".new"
        let file = fopen(temporary, "w")
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
        rename(temporary, path)
    }

    static func gzip(_ text: String) -> [UInt8] { Gzip.compress(Array(text.utf8), level: 9) ?? [] }

    /// Sets the access and modification time of `path`.
    static func setModified(_ path: String, seconds: Int, nanoseconds: Int) {
        var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }

    static func modified(_ path: String) -> timespec {
        var info = stat()
        _ = stat(path, &info)
        return info.st_mtim
    }

    @Test("a precompressed name.gz replaced after it was served is noticed within validitySeconds")
    func precompressedReplaced() throws {
        let server = try TestServer()
        server.publicFolder.write("app.js", Self.script)
        Self.replace(server.publicFolder.path + "/app.js.gz", with: Self.gzip("first"))
        let client = try server.client()
        #expect(try gunzip(get(client, "/app.js", "Accept-Encoding: gzip\r\n").body) == Array("first".utf8))
        Self.replace(server.publicFolder.path + "/app.js.gz", with: Self.gzip("second, longer"))
        #expect(TestServer.eventually(seconds: 3) {
            (try? self.get(client, "/app.js", "Accept-Encoding: gzip\r\n")).map { gunzip($0.body) } == Array("second, longer".utf8)
        })
    }

    @Test("a precompressed name.gz deleted is no longer served, nor its descriptor held")
    func precompressedDeleted() throws {
        let server = try TestServer()
        server.publicFolder.write("app.js", Self.script)
        Self.replace(server.publicFolder.path + "/app.js.gz", with: Self.gzip("precompressed"))
        let client = try server.client()
        #expect(try gunzip(get(client, "/app.js", "Accept-Encoding: gzip\r\n").body) == Array("precompressed".utf8))
        server.publicFolder.remove("app.js.gz")
        #expect(TestServer.eventually(seconds: 3) {
            (try? self.get(client, "/app.js", "Accept-Encoding: gzip\r\n")).map { gunzip($0.body) } == Array(Self.script.utf8)
        })
        #expect(TestServer.eventually { TestServer.fileDescriptors(endingWith: "/app.js.gz (deleted)") == 0 })
    }

    @Test("a name.gz added after an on-the-fly copy was served is noticed")
    func precompressedAdded() throws {
        let server = try TestServer()
        server.publicFolder.write("app.js", Self.script)
        let client = try server.client()
        #expect(try gunzip(get(client, "/app.js", "Accept-Encoding: gzip\r\n").body) == Array(Self.script.utf8))
        Self.replace(server.publicFolder.path + "/app.js.gz", with: Self.gzip("added"))
        #expect(TestServer.eventually(seconds: 3) {
            (try? self.get(client, "/app.js", "Accept-Encoding: gzip\r\n")).map { gunzip($0.body) } == Array("added".utf8)
        })
    }

    @Test("a name.gz older than the file by less than a second is stale: compared in nanoseconds")
    func precompressedNanoseconds() throws {
        let server = try TestServer(configure: { $0.fileCache.maxEntries = 0 })
        let path = server.publicFolder.write("app.js", Self.script)
        Self.replace(path + ".gz", with: Self.gzip("stale"))
        let second = Int(time(nil)) - 100
        Self.setModified(path, seconds: second, nanoseconds: 700_000_000)
        Self.setModified(path + ".gz", seconds: second, nanoseconds: 200_000_000)
        let response = try get(server.client(), "/app.js", "Accept-Encoding: gzip\r\n")
        #expect(response.header("Content-Encoding") == "gzip")
        #expect(gunzip(response.body) == Array(Self.script.utf8))
    }

    @Test("a same-size rewrite in place with the mtime put back is noticed (the ctime moved)")
    func sameSizeSameMtime() throws {
        let server = try TestServer()
        let path = server.publicFolder.write("page.html", "version one")
        let client = try server.client()
        #expect(try get(client, "/page.html").text == "version one")
        let mtime = Self.modified(path)
        usleep(20_000)  // a later clock tick for the ctime
        server.publicFolder.write("page.html", "version two")
        Self.setModified(path, seconds: mtime.tv_sec, nanoseconds: mtime.tv_nsec)
        #expect(Self.modified(path).tv_nsec == mtime.tv_nsec)
        #expect(TestServer.eventually(seconds: 3) { (try? self.get(client, "/page.html"))?.text == "version two" })
    }

    @Test("a same-size same-mtime replacement changes the ETag: If-None-Match and If-Range see the change")
    func etagFoldsIdentity() throws {
        let server = try TestServer(configure: { $0.fileCache.maxEntries = 0; $0.gzip.enabled = false })
        let path = server.publicFolder.write("data.txt", "AAAAAAAAAA")
        let client = try server.client()
        let old = try #require(try get(client, "/data.txt").header("ETag"))
        let mtime = Self.modified(path)
        usleep(20_000)
        Self.replace(path, with: Array("BBBBBBBBBB".utf8))
        Self.setModified(path, seconds: mtime.tv_sec, nanoseconds: mtime.tv_nsec)
        let fresh = try get(client, "/data.txt")
        #expect(fresh.header("ETag") != old)
        let revalidated = try get(client, "/data.txt", "If-None-Match: \(old)\r\n")
        #expect(revalidated.status == 200)
        #expect(revalidated.text == "BBBBBBBBBB")
        let resumed = try get(client, "/data.txt", "Range: bytes=5-\r\nIf-Range: \(old)\r\n")
        #expect(resumed.status == 200)
        #expect(resumed.text == "BBBBBBBBBB")
    }

    @Test("a future mtime is sent as a Last-Modified no later than the Date (RFC 9110 §8.8.2.1)")
    func futureMtime() throws {
        let server = try TestServer(configure: { $0.gzip.enabled = false })
        let path = server.publicFolder.write("future.txt", "from the future")
        Self.setModified(path, seconds: Int(time(nil)) + 86_400 * 365, nanoseconds: 0)
        let client = try server.client()
        let response = try get(client, "/future.txt")
        let lastModified = try #require(HTTPDate.parse(Array((response.header("Last-Modified") ?? "").utf8)))
        let date = try #require(HTTPDate.parse(Array((response.header("Date") ?? "").utf8)))
        #expect(lastModified <= date)
        // Revalidating with what was sent gives 304, not a loop of 200s.
        let again = try get(client, "/future.txt", "If-Modified-Since: \(response.header("Last-Modified") ?? "")\r\n")
        #expect(again.status == 304)
    }

    @Test("FileIdentity changes with inode, size, mtime and ctime")
    func identity() throws {
        let folder = TemporaryDirectory()
        let path = folder.write("a.txt", "12345")
        let before = try #require(OpenFile(path: path))
        usleep(20_000)
        _ = chmod(path, 0o600)  // only the ctime moves
        let after = try #require(OpenFile(path: path))
        #expect(FileIdentity(before) != FileIdentity(after))
        #expect(FileIdentity(before).hash64 != FileIdentity(after).hash64)
        #expect(!after.isUnchanged(comparedTo: before))
        #expect(FileIdentity(after) == FileIdentity(try #require(OpenFile(path: path))))
    }
}
