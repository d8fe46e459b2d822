import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Response.file: a handler's file through the static pipeline, confined to its root", .serialized)
struct HandlerFileTests {
    static let css = String(repeating: "body { margin: 0; padding: 0; color: #333; }\n", count: 100)  // 4,500 bytes

    /// `/public?p=PATH` serves PATH from the public folder, `/root?p=PATH` from a FileRoot beside it,
    /// `/async?p=PATH` from an async handler; `/gone` a page with status 410.
    final class Fixture {
        let outside = TemporaryDirectory()
        let server: TestServer

        init(configure: (inout ServerConfig) -> Void = { _ in }) throws {
            outside.write("secret.txt", "secret")
            outside.write("downloads/report.css", HandlerFileTests.css)
            let downloads = try FileRoot(outside.path + "/downloads")
            server = try TestServer(configure: configure, routes: { router in
                router.get("/public") { request in .file(request.query("p") ?? "") }
                router.get("/root") { request in .file(request.query("p") ?? "", from: downloads) }
                router.get("/async") { (request: Request) async throws -> Response in .file(request.query("p") ?? "") }
                router.get("/typed") { _ in
                    var response = Response.file("/site.css", contentType: "text/x-custom")
                    response.addHeader("Content-Disposition", "attachment")
                    return response
                }
                router.get("/gone") { _ in .file("gone.html", status: .gone) }
            })
            server.publicFolder.write("site.css", HandlerFileTests.css)
            server.publicFolder.write("gone.html", "<h1>gone</h1>")
        }

        func get(_ target: String, _ fields: String = "", method: String = "GET") async throws -> TestClient.Response {
            try await request(port: server.port, "\(method) \(target) HTTP/1.1\r\nHost: t\r\n\(fields)\r\n")
        }
    }

    @Test("a file from the public folder carries the pipeline's validators and its type by extension")
    func validators() async throws {
        let fixture = try Fixture()
        for path in ["/site.css", "site.css", "./site.css"] {
            let response = try await fixture.get("/public?p=\(path)")
            #expect(response.status == 200)
            #expect(response.text == Self.css)
            #expect(response.header("Content-Type") == "text/css; charset=utf-8")
            #expect(response.header("ETag")?.hasPrefix("\"") == true)
            #expect(response.header("Last-Modified") != nil)
            #expect(response.header("Accept-Ranges") == "bytes")
        }
    }

    @Test("If-None-Match with the file's tag gives 304, from a sync and an async handler alike")
    func notModified() async throws {
        let fixture = try Fixture()
        let port = fixture.server.port
        // Off the cooperative pool, which the async handler needs (see `blocking`).
        let answers = try await blocking {
            try ["/public", "/async"].map { route in
                let client = try TestClient(port: port)
                let first = try client.request("GET \(route)?p=site.css HTTP/1.1\r\nHost: t\r\n\r\n")
                let etag = first.header("ETag") ?? "none"
                let second = try client.request("GET \(route)?p=site.css HTTP/1.1\r\nHost: t\r\nIf-None-Match: \(etag)\r\n\r\n")
                return (first.status, etag, second.status, second.body.isEmpty, second.header("ETag"))
            }
        }
        for (first, etag, second, empty, echoed) in answers {
            #expect(first == 200)
            #expect(second == 304)
            #expect(empty)
            #expect(echoed == etag)
        }
    }

    @Test("Range gives 206 with Content-Range; a FileRoot's file too")
    func ranges() async throws {
        let fixture = try Fixture()
        for route in ["/public?p=site.css", "/root?p=report.css"] {
            let response = try await fixture.get(route, "Range: bytes=0-3\r\n")
            #expect(response.status == 206)
            #expect(response.text == "body")
            #expect(response.header("Content-Range") == "bytes 0-3/4500")
        }
    }

    @Test("gzip when the client accepts it, Vary otherwise")
    func gzip() async throws {
        let fixture = try Fixture()
        let zipped = try await fixture.get("/root?p=/report.css", "Accept-Encoding: gzip\r\n")
        #expect(zipped.status == 200)
        #expect(zipped.header("Content-Encoding") == "gzip")
        #expect(gunzip(zipped.body) == Array(Self.css.utf8))
        let plain = try await fixture.get("/root?p=/report.css")
        #expect(plain.header("Content-Encoding") == nil)
        #expect(plain.header("Vary") == "Accept-Encoding")
    }

    @Test("a path that leaves the root, a dot-file or an absolute path elsewhere is 404", arguments: [
        "/root?p=../secret.txt", "/root?p=/../secret.txt", "/root?p=a/../../secret.txt", "/root?p=/etc/passwd",
        "/public?p=../secret.txt", "/public?p=.hidden", "/root?p=link-out.txt", "/root?p=dir-out/secret.txt",
        "/public?p=missing.txt", "/public?p=", "/public?p=/",
    ])
    func confined(_ target: String) async throws {
        let fixture = try Fixture()
        fixture.outside.symlink("downloads/link-out.txt", to: fixture.outside.path + "/secret.txt")
        fixture.outside.symlink("downloads/dir-out", to: "..")
        fixture.server.publicFolder.write(".hidden", "hidden")
        let response = try await fixture.get(target)
        #expect(response.status == 404)
        #expect(response.text == "Not Found\n")
    }

    @Test("a link inside the root is followed, as in the public folder")
    func linkInside() async throws {
        let fixture = try Fixture()
        fixture.outside.symlink("downloads/alias.css", to: "report.css")
        #expect(try await fixture.get("/root?p=alias.css").text == Self.css)
    }

    @Test("another status sends the whole file with that status: no 304, no 206, no validators")
    func otherStatus() async throws {
        let fixture = try Fixture()
        for fields in ["", "If-None-Match: *\r\n", "Range: bytes=0-1\r\n"] {
            let response = try await fixture.get("/gone", fields)
            #expect(response.status == 410)
            #expect(response.text == "<h1>gone</h1>")
            #expect(response.header("ETag") == nil)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        }
        let head = try await fixture.get("/gone", method: "HEAD")
        #expect(head.status == 410)
        #expect(head.header("Content-Length") == "13")
    }

    @Test("the handler's content type and header fields are sent with the file's")
    func handlerFields() async throws {
        let fixture = try Fixture()
        let response = try await fixture.get("/typed")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/x-custom")
        #expect(response.header("Content-Disposition") == "attachment")
        #expect(response.header("ETag") != nil)
        #expect(response.text == Self.css)
    }

    @Test("HEAD gets the head of the GET, without a body")
    func head() async throws {
        let fixture = try Fixture()
        let response = try await fixture.get("/public?p=site.css", method: "HEAD")
        #expect(response.status == 200)
        #expect(response.header("Content-Length") == "4500")
        #expect(response.body.isEmpty)
    }

    @Test("without a public folder, a file without a root is a 500; a FileRoot's is served")
    func noPublicFolder() async throws {
        let fixture = try Fixture(configure: { $0.publicDirectory = nil })
        #expect(try await fixture.get("/public?p=site.css").status == 500)
        #expect(try await fixture.get("/root?p=report.css").status == 200)
    }

    @Test("a FileRoot that is not a directory cannot be opened")
    func badRoot() async throws {
        let directory = TemporaryDirectory()
        let file = directory.write("plain.txt", "x")
        #expect(throws: SystemError.self) { try FileRoot(file) }
        #expect(throws: SystemError.self) { try FileRoot(directory.path + "/missing") }
    }
}
