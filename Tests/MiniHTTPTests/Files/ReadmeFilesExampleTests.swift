import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// The README's files example, word for word between the markers below (the README opens `downloads`
/// first, at a path this test does not have); a test checks that the README still shows exactly this code,
/// and another runs it.
enum ReadmeFilesExample {
    static func register(on router: inout Router, downloads: FileRoot) {
        // README files example begins
        router.get("/reports/:name") { request in
            .file("reports/" + (request.parameters["name"] ?? ""))  // beneath the public folder
        }
        router.get("/downloads/:name") { request in
            var response = Response.file(request.parameters["name"] ?? "", from: downloads)
            response.addHeader("Content-Disposition", "attachment")
            return response
        }
        router.get("/maintenance") { _ in
            .file("/maintenance.html", status: .serviceUnavailable)  // the whole file, with this status
        }
        // README files example ends
    }
}

@Suite("README files example", .serialized)
struct ReadmeFilesExampleTests {
    static let root = String(#filePath).components(separatedBy: "/Tests/").first ?? "."

    @Test("the README's files example is this file's, word for word")
    func readmeShowsTheCompiledCode() async throws {
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8).components(separatedBy: "\n")
        let marker = try #require(readme.firstIndex { $0.hasPrefix("<!-- files-example") })
        let block = readme[(marker + 2)...].prefix { $0 != "```" }.map { $0 }
        #expect(block.first == "let downloads = try FileRoot(\"/srv/downloads\")  // opened once, at start-up")
        let source = try String(contentsOfFile: #filePath, encoding: .utf8).components(separatedBy: "\n")
        let begin = try #require(source.firstIndex { $0.hasSuffix("// README files example begins") })
        let end = try #require(source.firstIndex { $0.hasSuffix("// README files example ends") })
        let compiled = source[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        #expect(Array(block.dropFirst()) == compiled)
    }

    @Test("the README's file routes answer")
    func runs() async throws {
        let outside = TemporaryDirectory()
        outside.write("q3.pdf", "%PDF")
        let downloads = try FileRoot(outside.path)
        let server = try TestServer(routes: { ReadmeFilesExample.register(on: &$0, downloads: downloads) })
        server.publicFolder.write("reports/q3.txt", "quarter")
        server.publicFolder.write("maintenance.html", "<h1>back soon</h1>")
        let report = try await request(port: server.port, "GET /reports/q3.txt HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(report.text == "quarter")
        #expect(report.header("ETag") != nil)
        let download = try await request(port: server.port, "GET /downloads/q3.pdf HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(download.text == "%PDF")
        #expect(download.header("Content-Type") == "application/pdf")
        #expect(download.header("Content-Disposition") == "attachment")
        #expect(try await request(port: server.port, "GET /downloads/..%2Fetc HTTP/1.1\r\nHost: t\r\n\r\n").status == 404)
        let maintenance = try await request(port: server.port, "GET /maintenance HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(maintenance.status == 503)
        #expect(maintenance.text == "<h1>back soon</h1>")
    }
}
