import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Static files")
struct StaticFilesTests {
    let directory = TemporaryDirectory()
    let outside = TemporaryDirectory()
    let files: StaticFiles

    init() throws {
        directory.write("index.html", "<h1>home</h1>")
        directory.write("style.css", "body{}")
        directory.write("docs/index.html", "docs")
        directory.write("noindex/file.txt", "x")
        directory.write(".secret", "hidden")
        directory.write(".well-known/security.txt", "Contact: x")
        directory.write("data.unknownext", "?")
        outside.write("passwd", "root:x:0:0")
        directory.symlink("escape", to: outside.path + "/passwd")
        directory.symlink("escape-dir", to: outside.path)
        directory.symlink("inside-link.css", to: "style.css")
        files = try StaticFiles(root: directory.path, index: "index.html")
    }

    func get(_ target: String, method: HTTPMethod = .get) -> Response {
        files.respond(to: TestRequests.make(method: method, target: target))
    }

    func body(_ response: Response) -> String? {
        guard case .file(let file) = response.body.storage else { return nil }
        var out: [UInt8] = []
        _ = file.read(offset: 0, count: file.size, appendingTo: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("a file is served with its content type")
    func servesFile() {
        let response = get("/style.css")
        #expect(response.status == .ok)
        #expect(response.contentType == "text/css; charset=utf-8")
        #expect(body(response) == "body{}")
    }

    @Test("a directory serves its index file")
    func index() {
        #expect(body(get("/")) == "<h1>home</h1>")
        #expect(body(get("/docs/")) == "docs")
        #expect(get("/docs/").contentType == MediaType.html)
    }

    @Test("a directory without its trailing slash redirects, keeping the query")
    func redirect() {
        let response = get("/docs?x=1")
        #expect(response.status == .movedPermanently)
        #expect(response.headers.first { $0.name == "Location" }?.value == "/docs/?x=1")
    }

    @Test("the redirect is never protocol-relative")
    func noOpenRedirect() {
        directory.write("evil.example/dir/index.html", "x")
        let response = get("//evil.example/dir")
        #expect(response.headers.first { $0.name == "Location" }?.value == "/evil.example/dir/")
    }

    @Test("a directory without an index is forbidden")
    func noIndex() {
        #expect(get("/noindex/").status == .forbidden)
    }

    @Test("nothing outside the folder is served", arguments: [
        "/../passwd", "/%2e%2e/passwd", "/escape", "/escape-dir/passwd", "/.secret", "/a%2f..%2fpasswd",
        "/style.css/", "/missing.html",
    ])
    func confined(_ target: String) {
        let response = get(target)
        #expect(response.status == .notFound || response.status == .forbidden, "\(target)")
        #expect(body(response) == nil)
    }

    @Test("symlinks that stay inside the folder work; /.well-known/ is public")
    func allowed() {
        #expect(body(get("/inside-link.css")) == "body{}")
        #expect(body(get("/.well-known/security.txt")) == "Contact: x")
    }

    @Test("an unknown extension is application/octet-stream")
    func unknownType() {
        #expect(get("/data.unknownext").contentType == "application/octet-stream")
    }

    @Test("other methods on a file are 405 with Allow: GET, HEAD; on nothing, 404")
    func methods() {
        let response = get("/style.css", method: .post)
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers.contains(HTTPField(name: "Allow", value: "GET, HEAD")))
        #expect(get("/missing", method: .delete).status == .notFound)
    }
}

@Suite("Media types")
struct MediaTypeTests {
    @Test("types by extension, case-insensitive", arguments: [
        ("a.html", "text/html; charset=utf-8"), ("a.CSS", "text/css; charset=utf-8"),
        ("a.js", "text/javascript; charset=utf-8"), ("a.mjs", "text/javascript; charset=utf-8"),
        ("a.json", "application/json"), ("a.svg", "image/svg+xml"), ("a.png", "image/png"),
        ("a.jpg", "image/jpeg"), ("a.gif", "image/gif"), ("a.webp", "image/webp"), ("a.ico", "image/x-icon"),
        ("a.txt", "text/plain; charset=utf-8"), ("a.xml", "application/xml"), ("a.wasm", "application/wasm"),
        ("a.woff2", "font/woff2"), ("a.pdf", "application/pdf"), ("noext", "application/octet-stream"),
        ("dir.d/file", "application/octet-stream"),
    ])
    func types(_ name: String, _ type: String) {
        #expect(MediaType.forPath(name) == type)
    }
}

@Suite("The open-file cache")
struct FileCacheTests {
    @Test("a cached file is served without touching the file system until validitySeconds pass")
    func servesFromCache() throws {
        let directory = TemporaryDirectory()
        directory.write("page.html", "cached body")
        let files = try StaticFiles(root: directory.path, index: "index.html")
        var settings = FileCacheSettings()
        settings.validitySeconds = 60
        let cache = FileCache(settings: settings)
        let request = TestRequests.make(target: "/page.html")
        #expect(files.respond(to: request, cache: cache, now: 1_000).status == .ok)
        #expect(cache.count == 1)
        directory.remove("page.html")
        // Within validitySeconds the cache answers (no stat, no open): the deletion is not seen yet...
        let cached = files.respond(to: request, cache: cache, now: 30_000)
        #expect(cached.status == .ok)
        #expect(cached.body.count == 11)
        // ...and after it, the file is checked again and found gone.
        #expect(files.respond(to: request, cache: cache, now: 61_001).status == .notFound)
        #expect(cache.count == 0)
    }

    @Test("the cache is bounded by maxEntries, evicting the least recently used")
    func bounded() throws {
        let directory = TemporaryDirectory()
        for name in ["a", "b", "c"] { directory.write("\(name).txt", name) }
        let files = try StaticFiles(root: directory.path, index: "index.html")
        var settings = FileCacheSettings()
        settings.maxEntries = 2
        let cache = FileCache(settings: settings)
        _ = files.respond(to: TestRequests.make(target: "/a.txt"), cache: cache, now: 1)
        _ = files.respond(to: TestRequests.make(target: "/b.txt"), cache: cache, now: 2)
        _ = files.respond(to: TestRequests.make(target: "/a.txt"), cache: cache, now: 3)
        _ = files.respond(to: TestRequests.make(target: "/c.txt"), cache: cache, now: 4)
        #expect(cache.count == 2)
        let a = Array("/a.txt".utf8), b = Array("/b.txt".utf8)
        #expect(cache.entry(hash: FileCache.hash(a), path: a) != nil)
        #expect(cache.entry(hash: FileCache.hash(b), path: b) == nil)
    }
}
