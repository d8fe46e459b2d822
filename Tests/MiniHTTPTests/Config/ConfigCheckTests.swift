import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Configuration: what --check refuses and prints")
struct ConfigCheckTests {
    func decode(_ json: String) throws(ConfigError) -> ServerConfig {
        try ServerConfig.decode(Data(json.utf8), file: "test.json")
    }

    func message(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a key given twice is refused, naming it", arguments: [
        ("{\"public\": null, \"port\": 80, \"port\": 81}", "test.json: port: appears twice"),
        ("{\"public\": null, \"gzip\": {\"level\": 1, \"level\": 9}}", "test.json: gzip.level: appears twice"),
        ("{\"public\": null, \"port\": 80, \"p\\u006frt\": 81}", "test.json: port: appears twice"),
    ])
    func duplicateKeys(_ json: String, _ expected: String) {
        #expect(message(json) == expected)
    }

    @Test("the same key in different objects, and keys inside strings, are not duplicates")
    func notDuplicates() throws {
        let config = try decode("""
            {"public": null, "cacheControl": {"/a": "x, \\"level\\": 1", ".js": "y"}, "gzip": {"level": 2},
             "fileCache": {"maxBytes": 1}, "statusAllow": ["::1", "::1"]}
            """)
        #expect(config.gzip.level == 2)
    }

    @Test("statusPath and metricsPath are literal paths, not route patterns", arguments: [
        ("statusPath", "/:x", "must be a literal path, not a route pattern (no ':name' or '*' segments)"),
        ("statusPath", "/*", "must be a literal path, not a route pattern (no ':name' or '*' segments)"),
        ("metricsPath", "/m/:name/x", "must be a literal path, not a route pattern (no ':name' or '*' segments)"),
        ("statusPath", "/s?x=1", "must be a path without spaces, control characters, '?' or '#'"),
        ("metricsPath", "/a b", "must be a path without spaces, control characters, '?' or '#'"),
    ])
    func literalPaths(_ key: String, _ path: String, _ reason: String) {
        #expect(message("{\"public\": null, \"\(key)\": \"\(path)\"}") == "test.json: \(key): \(reason)")
    }

    @Test("a route-pattern statusPath stops an embedded server from starting")
    func literalPathAtStart() {
        var config = ServerConfig()
        config.host = "127.0.0.1"
        config.port = 0
        config.publicDirectory = nil
        config.statusPath = "/:x"
        do {
            _ = try Server(configuration: config)
            Issue.record("the server started")
        } catch {
            #expect("\(error)" == "statusPath: must be a literal path, not a route pattern (no ':name' or '*' segments)")
        }
    }

    @Test("forwardedHeader: X-Forwarded-For (default), Forwarded, or null; anything else is refused")
    func forwardedHeader() throws {
        #expect(try decode("{\"public\": null}").forwardedHeader == .xForwardedFor)
        #expect(try decode("{\"public\": null, \"forwardedHeader\": \"forwarded\"}").forwardedHeader == .forwarded)
        #expect(try decode("{\"public\": null, \"forwardedHeader\": null}").forwardedHeader == ForwardedHeader.none)
        #expect(message("{\"public\": null, \"forwardedHeader\": \"X-Real-IP\"}")
            == "test.json: forwardedHeader: must be \"X-Forwarded-For\", \"Forwarded\" or null")
    }

    @Test("the summary prints every top-level key the file may set")
    func summaryHasEveryKey() throws {
        let loader = #filePath.components(separatedBy: "/Tests/")[0] + "/Sources/MiniHTTP/Config/ServerConfig+Loading.swift"
        let source = try String(contentsOfFile: loader, encoding: .utf8)
        let apply = source.components(separatedBy: "mutating func apply(key: String, value: JSONValue, reader: inout ConfigReader)")[1].components(separatedBy: "public func validate")[0]
        let keys = apply.components(separatedBy: "case \"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
        #expect(keys.count >= 32)
        var config = ServerConfig()
        config.metricsPath = "/metrics"
        config.statusAllow = ["10.0.0.0/8", "::1"]
        config.trustedProxies = ["192.0.2.1"]
        config.proxyProtocol = true
        let lines = config.summary.split(separator: "\n")
        for key in keys {
            #expect(lines.contains { $0.hasPrefix("  \(key): ") }, "\(key) is missing from the summary")
        }
        #expect(lines.contains("  metricsPath: \"/metrics\""))
        #expect(lines.contains("  statusAllow: [\"10.0.0.0/8\", \"::1\"]"))
        #expect(lines.contains("  trustedProxies: [\"192.0.2.1\"]"))
        #expect(lines.contains("  proxyProtocol: true"))
        #expect(lines.contains("  forwardedHeader: \"X-Forwarded-For\""))
    }

    @Test("checkEnvironment refuses a host that does not resolve and an access log that cannot be opened")
    func environment() throws {
        var config = ServerConfig()
        config.host = "no-such-host.invalid"
        #expect(throws: ConfigError(file: "f", key: "host", reason: "'no-such-host.invalid' does not resolve to an address")) {
            try config.checkEnvironment(file: "f")
        }
        config.host = "127.0.0.1"
        let folder = TemporaryDirectory()
        config.accessLogPath = folder.path + "/missing/access.log"
        #expect(throws: ConfigError(
            file: "f", key: "accessLogPath",
            reason: "cannot open '\(folder.path)/missing/access.log' for appending (its folder '\(folder.path)/missing': No such file or directory)")) {
            try config.checkEnvironment(file: "f")
        }
        config.accessLogPath = folder.path
        #expect(throws: ConfigError(file: "f", key: "accessLogPath", reason: "cannot open '\(folder.path)' for appending (it is a directory)")) {
            try config.checkEnvironment(file: "f")
        }
        config.accessLogPath = folder.path + "/access.log"
        try config.checkEnvironment(file: "f")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/access.log"))  // --check creates nothing
    }
}
