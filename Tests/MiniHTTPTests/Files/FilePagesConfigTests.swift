import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Configuration: spaFallback and errorPages")
struct FilePagesConfigTests {
    let folder = TemporaryDirectory()

    func message(_ json: String) -> String? {
        do {
            _ = try ServerConfig.decode(Data(json.utf8), file: "test.json")
            return nil
        } catch {
            return error.description
        }
    }

    @Test("both keys load from the file")
    func loads() throws {
        let config = try ServerConfig.decode(Data("""
            {"public": "\(folder.path)", "spaFallback": "/index.html", "errorPages": {"404": "/404.html", "503": "/50x.html"}}
            """.utf8), file: "test.json")
        #expect(config.spaFallback == "/index.html")
        #expect(config.errorPages == [404: "/404.html", 503: "/50x.html"])
        #expect(config.summary.contains("  spaFallback: \"/index.html\""))
        #expect(config.summary.contains("  errorPages: 404 = /404.html; 503 = /50x.html"))
    }

    @Test("the README's configuration example loads as it says")
    func readmeExample() throws {
        let root = String(#filePath).components(separatedBy: "/Tests/").first ?? "."
        let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8).components(separatedBy: "\n")
        let marker = try #require(readme.firstIndex { $0.hasPrefix("<!-- pages-config-example") })
        #expect(readme[marker + 1] == "```json")
        let json = readme[(marker + 2)...].prefix { $0 != "```" }.joined(separator: "\n")
        let config = try ServerConfig.decodeUnvalidated(Data(json.utf8), file: "README.md")
        #expect(config.spaFallback == "/index.html")
        #expect(config.errorPages == [404: "/404.html", 500: "/50x.html"])
        #expect(throws: Never.self) { try config.check() }
    }

    @Test("bad values are refused, naming the key", arguments: [
        (#""spaFallback": "index.html""#, "spaFallback: must be a path in the public folder, starting with '/'"),
        (#""spaFallback": "/../x.html""#,
         "spaFallback: must name a file in the public folder (no '..' above it, no dot-file, no trailing '/')"),
        (#""spaFallback": 3"#, "spaFallback: expected a string or null, found a number"),
        (#""errorPages": {"200": "/ok.html"}"#, "errorPages.200: must be a status code from 400 to 599"),
        (#""errorPages": {"4o4": "/x.html"}"#, "errorPages.4o4: must be a status code from 400 to 599"),
        (#""errorPages": {"404": "/.x.html"}"#,
         "errorPages.404: must name a file in the public folder (no '..' above it, no dot-file, no trailing '/')"),
        (#""errorPages": {"404": 1}"#, "errorPages.404: expected a string, found a number"),
        (#""errorPages": []"#, "errorPages: expected an object, found an array"),
    ])
    func refused(_ field: String, _ reason: String) {
        #expect(message("{\"public\": \"\(folder.path)\", \(field)}") == "test.json: \(reason)")
    }

    @Test("both need a public folder")
    func needPublic() {
        #expect(message(#"{"public": null, "spaFallback": "/index.html"}"#)
            == "test.json: spaFallback: needs a public folder ('public')")
        #expect(message(#"{"public": null, "errorPages": {"404": "/404.html"}}"#)
            == "test.json: errorPages.404: needs a public folder ('public')")
    }

    @Test("from the environment: a path, and a JSON object")
    func environment() throws {
        var config = ServerConfig()
        var blame: [String: (file: String, key: String)] = [:]
        try config.applyEnvironment(
            ["MINIHTTP_SPA_FALLBACK": "/index.html", "MINIHTTP_ERROR_PAGES": #"{"404": "/404.html"}"#], blame: &blame)
        #expect(config.spaFallback == "/index.html")
        #expect(config.errorPages == [404: "/404.html"])
    }

    @Test("a server configured in code refuses them too")
    func atStart() {
        var config = ServerConfig()
        config.host = "127.0.0.1"
        config.port = 0
        config.publicDirectory = folder.path
        config.errorPages = [302: "/x.html"]
        #expect {
            _ = try Server(configuration: config)
        } throws: { error in
            "\(error)".contains("errorPages.302: must be a status code from 400 to 599")
        }
    }
}
