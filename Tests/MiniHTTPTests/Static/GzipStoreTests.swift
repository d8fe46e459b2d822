import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// gzip amplification (issue 11, item 5): copies keyed by the file's identity, never by the request path;
/// small files compressed inline once, large ones in the background while they are served uncompressed.
@Suite("Static files: the gzip store", .serialized)
struct GzipStoreTests {
    static func text(bytes: Int) -> String {
        var out = ""
        var line = 0
        while out.utf8.count < bytes {
            out += "line \(line) of a text that compresses well, \(line * 7919 % 1000)\n"
            line += 1
        }
        return String(out.prefix(bytes))
    }

    func get(_ client: TestClient, _ path: String, method: String = "GET") throws -> TestClient.Response {
        try client.request("\(method) \(path) HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n")
    }

    /// The server's `StaticFiles` (private to `Server`: read through reflection, for the counter only).
    static func staticFiles(of server: TestServer) -> StaticFiles? {
        func child(_ value: Any, _ name: String) -> Any? {
            Mirror(reflecting: value).children.first { $0.label == name }?.value
        }
        guard let context = child(server.server, "context"), let routes = child(context, "routes"),
              let fallback = child(routes, "fallback") else { return nil }
        return fallback as? StaticFiles
    }

    @Test("/big.css, /./big.css, //big.css and /%62ig.css compress once; HEAD adds no compression")
    func spellingsCompressOnce() throws {
        let server = try TestServer()
        let css = Self.text(bytes: 20_000)
        server.publicFolder.write("big.css", css)
        let files = try #require(Self.staticFiles(of: server))
        let client = try server.client()
        var bodies: [[UInt8]] = []
        for path in ["/big.css", "/./big.css", "//big.css", "/%62ig.css", "/assets/../big.css"] {
            let response = try get(client, path)
            #expect(response.header("Content-Encoding") == "gzip")
            bodies.append(response.body)
            _ = try get(client, path, method: "HEAD")
        }
        #expect(files.gzipStore.compressions == 1)
        #expect(bodies.allSatisfy { gunzip($0) == Array(css.utf8) })
    }

    @Test("a large file is served uncompressed while compressed in the background, then as gzip")
    func largeInBackground() throws {
        let server = try TestServer()
        let text = Self.text(bytes: 300_000)
        server.publicFolder.write("large.txt", text)
        let files = try #require(Self.staticFiles(of: server))
        let client = try server.client()
        let first = try get(client, "/large.txt")
        #expect(first.status == 200)
        #expect(first.header("Content-Encoding") == nil)
        #expect(first.body == Array(text.utf8))
        #expect(first.header("Vary") == "Accept-Encoding")
        var zipped: TestClient.Response?
        #expect(TestServer.eventually {
            zipped = try? self.get(client, "/large.txt")
            return zipped?.header("Content-Encoding") == "gzip"
        })
        #expect(gunzip(zipped?.body ?? []) == Array(text.utf8))
        #expect(try get(client, "//./large.txt").header("Content-Encoding") == "gzip")
        #expect(files.gzipStore.compressions == 1)
    }

    @Test("HEAD of a large file queues what GET would, once: no compression beyond it")
    func headAddsNothing() throws {
        let server = try TestServer()
        server.publicFolder.write("large.txt", Self.text(bytes: 200_000))
        let files = try #require(Self.staticFiles(of: server))
        let client = try server.client()
        for path in ["/large.txt", "/./large.txt", "//large.txt", "/%6Carge.txt"] {
            #expect(try get(client, path, method: "HEAD").status == 200)
        }
        #expect(TestServer.eventually { (try? self.get(client, "/large.txt", method: "HEAD"))?.header("Content-Encoding") == "gzip" })
        for path in ["/large.txt", "/./large.txt", "//large.txt", "/%6Carge.txt"] {
            #expect(try get(client, path, method: "HEAD").header("Content-Encoding") == "gzip")
            #expect(try get(client, path).header("Content-Encoding") == "gzip")
        }
        #expect(files.gzipStore.compressions == 1)
    }

    @Test("a changed file is compressed again: the copy belongs to the file's identity")
    func changedFile() throws {
        let server = try TestServer(configure: { $0.fileCache.maxEntries = 0 })
        server.publicFolder.write("a.css", Self.text(bytes: 5000))
        let client = try server.client()
        #expect(try gunzip(get(client, "/a.css").body) == Array(Self.text(bytes: 5000).utf8))
        server.publicFolder.write("a.css", Self.text(bytes: 6000))
        #expect(try gunzip(get(client, "/a.css").body) == Array(Self.text(bytes: 6000).utf8))
    }

    // MARK: The store alone

    func file(_ folder: TemporaryDirectory, _ name: String, bytes: Int) throws -> OpenFile {
        try #require(OpenFile(path: folder.write(name, Self.text(bytes: bytes))))
    }

    @Test("copies are bounded by the budget: the least recently used make room; one too large is refused")
    func budget() throws {
        let folder = TemporaryDirectory()
        let files = try (0..<3).map { try file(folder, "f\($0).txt", bytes: 20_000) }
        let compressedSize = try #require(Gzip.compress(Array(Self.text(bytes: 20_000).utf8), level: 6)).count
        let store = GzipStore(budgetBytes: compressedSize * 2 + 100, level: 6)
        for file in files.prefix(2) {
            guard case .ready = store.variant(of: file, identity: FileIdentity(file), content: nil) else {
                Issue.record("not compressed")
                return
            }
        }
        _ = store.lookup(FileIdentity(files[0]))  // f0 is now more recent than f1
        _ = store.variant(of: files[2], identity: FileIdentity(files[2]), content: nil)
        #expect(store.lookup(FileIdentity(files[1])) == .absent)
        #expect(store.lookup(FileIdentity(files[0])) != .absent)
        #expect(store.lookup(FileIdentity(files[2])) != .absent)
        #expect(store.compressions == 3)

        let tiny = GzipStore(budgetBytes: 100, level: 6)
        #expect(tiny.variant(of: files[0], identity: FileIdentity(files[0]), content: nil) == .refused)
        #expect(tiny.variant(of: files[0], identity: FileIdentity(files[0]), content: nil) == .refused)
        #expect(tiny.compressions == 1)
        let none = GzipStore(budgetBytes: 0, level: 6)
        #expect(none.variant(of: files[0], identity: FileIdentity(files[0]), content: nil) == .refused)
        #expect(none.compressions == 0)
    }
}
