import Foundation
import Testing
@testable import MiniHTTP

/// `ServerConfig.load(file:environment:commandLine:)`, the function `minihttp` calls: defaults < file <
/// environment < flags, validated once after every override.
@Suite("Configuration from the environment")
struct EnvironmentConfigTests {
    let folder = TemporaryDirectory()

    /// A file in the temporary folder holding `json`, with `public` set to a folder that exists unless
    /// the JSON says otherwise.
    func file(_ json: String) -> String {
        folder.write("site/index.html", "hi")
        return folder.write("x.json", json)
    }

    func message(
        _ environment: [String: String], _ flags: CommandLineSettings = .init(), json: String = "{\"public\": null}"
    ) -> String? {
        do {
            _ = try ServerConfig.load(file: file(json), environment: environment, commandLine: flags)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a key's variable is MINIHTTP_ and the key in UPPER_SNAKE case, a section's key after its section", arguments: [
        ("port", "MINIHTTP_PORT"), ("public", "MINIHTTP_PUBLIC"), ("reusePort", "MINIHTTP_REUSE_PORT"),
        ("keepAliveTimeoutSeconds", "MINIHTTP_KEEP_ALIVE_TIMEOUT_SECONDS"), ("maxURIBytes", "MINIHTTP_MAX_URI_BYTES"),
        ("gzip.minBytes", "MINIHTTP_GZIP_MIN_BYTES"), ("fileCache.validitySeconds", "MINIHTTP_FILE_CACHE_VALIDITY_SECONDS"),
        ("accessLogPath", "MINIHTTP_ACCESS_LOG_PATH"),
    ])
    func naming(_ key: String, _ variable: String) {
        #expect(EnvironmentVariables.name(forKey: key) == variable)
    }

    @Test("every key the file accepts has a variable, read as the file's type")
    func everyKey() throws {
        let loader = #filePath.components(separatedBy: "/Tests/")[0] + "/Sources/MiniHTTP/Config/ServerConfig+Loading.swift"
        let source = try String(contentsOfFile: loader, encoding: .utf8)
        // Each `apply`'s cases: the top level's, then gzip's and fileCache's.
        let applies = source.components(separatedBy: "mutating func apply(key: String, value: JSONValue").dropFirst()
        let sections = ["", "gzip.", "fileCache."]
        #expect(applies.count == sections.count)
        var keys: [String] = []
        for (section, body) in zip(sections, applies) {
            let cases = body.components(separatedBy: "default:")[0].components(separatedBy: "case \"").dropFirst()
            keys += cases.compactMap { $0.split(separator: "\"").first.map { section + $0 } }
        }
        let expected = Set(keys.filter { $0 != "gzip" && $0 != "fileCache" })
        #expect(expected.count == 40)
        #expect(Set(EnvironmentVariables.keys.map(\.path)) == expected)
        // A sample of each kind's text is accepted or refused for its value, never for its type.
        let samples: [String: String] = [
            "MINIHTTP_CACHE_CONTROL": "{}", "MINIHTTP_ERROR_PAGES": "{}", "MINIHTTP_STATUS_ALLOW": "::1",
        ]
        for (path, kind) in EnvironmentVariables.keys {
            let name = EnvironmentVariables.name(forKey: path)
            let text = samples[name] ?? ["string": "x", "optionalString": "x", "integer": "1", "boolean": "true"]["\(kind)"] ?? ""
            var config = ServerConfig()
            var blame: [String: (file: String, key: String)] = [:]
            do {
                try config.applyEnvironment([name: text], blame: &blame)
                #expect(blame[path]?.key == name)
            } catch {
                #expect(!error.reason.hasPrefix("expected"), "\(name)=\(text): \(error)")
            }
        }
    }

    @Test("the README lists every variable beside its key")
    func readme() throws {
        let path = #filePath.components(separatedBy: "/Tests/")[0] + "/README.md"
        let lines = Set(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: " ").joined(separator: " ")
        })
        for (key, _) in EnvironmentVariables.keys {
            let name = EnvironmentVariables.name(forKey: key)
            let listed = lines.contains("\(name) \(key)")
            #expect(listed, "README: no line '\(name)  \(key)'")
        }
    }

    @Test("the file < the environment < the flags, key by key")
    func precedence() throws {
        let site = folder.path + "/site"
        let path = file("""
            {"public": null, "port": 1000, "workers": 3, "statusPath": "/s", "keepAliveTimeoutSeconds": 20,
             "gzip": {"level": 2, "minBytes": 100}, "host": "127.0.0.1"}
            """)
        let config = try ServerConfig.load(
            file: path,
            environment: ["MINIHTTP_PORT": "2000", "MINIHTTP_WORKERS": "5", "MINIHTTP_GZIP_LEVEL": "7",
                          "MINIHTTP_STATUS_PATH": "/health", "MINIHTTP_PUBLIC": "/nonexistent"],
            commandLine: CommandLineSettings(port: 3000, publicDirectory: site))
        #expect(config.port == 3000)  // flag over environment over file
        #expect(config.publicDirectory == site)  // flag over environment
        #expect(config.workers == 5)  // environment over file
        #expect(config.statusPath == "/health")
        #expect(config.gzip.level == 7)
        #expect(config.gzip.minBytes == 100)  // the section's other keys stay the file's
        #expect(config.keepAliveTimeoutSeconds == 20)  // the file over the default
        #expect(config.host == "127.0.0.1")
        #expect(config.maxBodyBytes == ServerConfig().maxBodyBytes)
    }

    @Test("PORT and HOST, as platforms set them; a flag still wins; MINIHTTP_PORT may repeat PORT but not contradict it")
    func platformNames() throws {
        let path = file("{\"public\": null, \"port\": 1000}")
        let config = try ServerConfig.load(file: path, environment: ["PORT": "9000", "HOST": "127.0.0.1", "HOME": "/x"])
        #expect(config.port == 9000)
        #expect(config.host == "127.0.0.1")
        #expect(try ServerConfig.load(file: path, environment: ["PORT": "9000"], commandLine: .init(port: 1)).port == 1)
        #expect(try ServerConfig.load(file: path, environment: ["PORT": "9000", "MINIHTTP_PORT": "9000"]).port == 9000)
        #expect(message(["PORT": "9000", "MINIHTTP_PORT": "9001"]) == "environment: PORT: '9000' disagrees with MINIHTTP_PORT='9001'")
        #expect(message(["HOST": "::1", "MINIHTTP_HOST": "127.0.0.1"]) == "environment: HOST: '::1' disagrees with MINIHTTP_HOST='127.0.0.1'")
    }

    @Test("a bad value is one line naming the variable", arguments: [
        (["MINIHTTP_WORKERS": "x"], "environment: MINIHTTP_WORKERS: expected an integer, got 'x'"),
        (["MINIHTTP_WORKERS": "2\n"], "environment: MINIHTTP_WORKERS: expected a value without control characters, got '2\\u{a}'"),
        (["MINIHTTP_PUBLIC": "/srv/site\r"],
         "environment: MINIHTTP_PUBLIC: expected a value without control characters, got '/srv/site\\u{d}'"),
        (["MINIHTTP_WORKERS": ""], "environment: MINIHTTP_WORKERS: expected an integer, got ''"),
        (["MINIHTTP_WORKERS": "+2"], "environment: MINIHTTP_WORKERS: expected an integer, got '+2'"),
        (["PORT": "eighty"], "environment: PORT: expected an integer, got 'eighty'"),
        (["MINIHTTP_PORT": "70000"], "environment: MINIHTTP_PORT: 70000 is out of range 0...65535"),
        (["MINIHTTP_MAX_BODY_BYTES": "99999999999999999"], "environment: MINIHTTP_MAX_BODY_BYTES: 99999999999999999 is out of range"),
        (["MINIHTTP_GZIP_LEVEL": "12"], "environment: MINIHTTP_GZIP_LEVEL: 12 is out of range 1...9"),
        (["MINIHTTP_ACCESS_LOG": "yes"], "environment: MINIHTTP_ACCESS_LOG: expected true or false, got 'yes'"),
        (["MINIHTTP_FORWARDED_HEADER": "X-Real-IP"],
         "environment: MINIHTTP_FORWARDED_HEADER: must be \"X-Forwarded-For\", \"Forwarded\" or null"),
        (["MINIHTTP_CACHE_CONTROL": "/a=b"], "environment: MINIHTTP_CACHE_CONTROL: expected a JSON object, got '/a=b'"),
        (["MINIHTTP_CACHE_CONTROL": "{\".js\": 1}"], "environment: MINIHTTP_CACHE_CONTROL: expected a string, found a number"),
        (["MINIHTTP_STATUS_ALLOW": "10.0.0.0/8,,::1"],
         "environment: MINIHTTP_STATUS_ALLOW: expected a comma-separated list without empty items, got '10.0.0.0/8,,::1'"),
        // Checks of the whole configuration blame the variable that set the value.
        (["MINIHTTP_LOG_LEVEL": "loud"],
         "environment: MINIHTTP_LOG_LEVEL: must be one of trace, debug, info, notice, warning, error, critical"),
        (["MINIHTTP_PUBLIC": "/no/such/folder"], "environment: MINIHTTP_PUBLIC: '/no/such/folder' is not a directory"),
        (["MINIHTTP_TRUSTED_PROXIES": "10.0.0.1, gateway"], "environment: MINIHTTP_TRUSTED_PROXIES: 'gateway' is not an IP address or CIDR range"),
        (["MINIHTTP_CACHE_CONTROL": "{\"js\": \"no-cache\"}"],
         "environment: MINIHTTP_CACHE_CONTROL: must be a path prefix starting with '/' or an extension starting with '.'"),
        (["MINIHTTP_HOST": "no-such-host.invalid"], "environment: MINIHTTP_HOST: 'no-such-host.invalid' does not resolve to an address"),
        // Unknown names are refused: a typo would otherwise be ignored.
        (["MINIHTTP_WORKER": "2"], "environment: MINIHTTP_WORKER: unknown variable (not a configuration key)"),
        (["MINIHTTP_GZIP": "{}"], "environment: MINIHTTP_GZIP: unknown variable (not a configuration key)"),
        (["MINIHTTP_SERVICE_HOST": "10.0.0.11"],
         "environment: MINIHTTP_SERVICE_HOST: unknown variable; a Kubernetes Service named 'minihttp' or 'minihttp-…' sets it: set enableServiceLinks: false in the pod spec"),
        (["MINIHTTP_WEB_PORT_80_TCP_ADDR": "10.0.0.11"],
         "environment: MINIHTTP_WEB_PORT_80_TCP_ADDR: unknown variable; a Kubernetes Service named 'minihttp' or 'minihttp-…' sets it: set enableServiceLinks: false in the pod spec"),
        (["MINIHTTP_WEB_SERVICE_PORT_HTTP": "80"],
         "environment: MINIHTTP_WEB_SERVICE_PORT_HTTP: unknown variable; a Kubernetes Service named 'minihttp' or 'minihttp-…' sets it: set enableServiceLinks: false in the pod spec"),
        (["MINIHTTP_PORT_80_TCP_PORT": "80"],
         "environment: MINIHTTP_PORT_80_TCP_PORT: unknown variable; a Kubernetes Service named 'minihttp' or 'minihttp-…' sets it: set enableServiceLinks: false in the pod spec"),
        (["MINIHTTP_PORT": "tcp://10.0.0.11:80"],
         "environment: MINIHTTP_PORT: expected an integer, got 'tcp://10.0.0.11:80'; a Kubernetes Service named 'minihttp' or 'minihttp-…' sets it: set enableServiceLinks: false in the pod spec"),
    ])
    func badValues(_ environment: [String: String], _ expected: String) {
        #expect(message(environment) == expected)
    }

    @Test("a bad value in the file names the file and key; a bad flag names the flag")
    func otherSources() {
        let path = folder.path + "/x.json"
        #expect(message(["MINIHTTP_PORT": "1"], json: "{\"public\": null, \"workers\": \"x\"}")
            == "\(path): workers: expected an integer, found a string")
        #expect(message([:], json: "{\"public\": null, \"logLevel\": \"loud\"}")
            == "\(path): logLevel: must be one of trace, debug, info, notice, warning, error, critical")
        #expect(message(["MINIHTTP_PUBLIC": folder.path], .init(publicDirectory: "/no/such"))
            == "command line: --public: '/no/such' is not a directory")
        #expect(message([:], .init(port: 70000)) == "command line: --port: 70000 is out of range 0...65535")
        #expect(message([:], .init(workers: -1)) == "command line: --workers: -1 is out of range 0...1024")
    }

    @Test("lists are comma-separated, cacheControl is a JSON object, an empty optional value is null")
    func valueForms() throws {
        let config = try ServerConfig.load(file: file("{\"public\": \"Public\", \"trustedProxies\": [\"::1\"]}"), environment: [
            "MINIHTTP_STATUS_ALLOW": "10.0.0.0/8, ::1 ,127.0.0.1", "MINIHTTP_TRUSTED_PROXIES": "",
            "MINIHTTP_CACHE_CONTROL": "{\n  \"/assets/\": \"public, max-age=3600\",\r\n  \".html\": \"no-cache\"\n}",
            "MINIHTTP_PUBLIC": "", "MINIHTTP_STATUS_PATH": "", "MINIHTTP_METRICS_PATH": "/metrics",
            "MINIHTTP_FORWARDED_HEADER": "", "MINIHTTP_REUSE_PORT": "true", "MINIHTTP_ACCESS_LOG": "false",
        ])
        #expect(config.statusAllow == ["10.0.0.0/8", "::1", "127.0.0.1"])
        #expect(config.trustedProxies == [])
        #expect(config.cacheControl == ["/assets/": "public, max-age=3600", ".html": "no-cache"])
        #expect(config.publicDirectory == nil)
        #expect(config.statusPath == nil)
        #expect(config.metricsPath == "/metrics")
        #expect(config.forwardedHeader == ForwardedHeader.none)
        #expect(config.reusePort && !config.accessLog)
    }

    @Test("overrides apply before validation: a flag or variable replaces a file's bad value, or the default")
    func overridesBeforeValidation() throws {
        let site = folder.path + "/site"
        let path = file("{\"public\": \"/no/such/folder\", \"logLevel\": \"loud\"}")
        let config = try ServerConfig.load(
            file: path, environment: ["MINIHTTP_LOG_LEVEL": "debug"], commandLine: .init(publicDirectory: site))
        #expect(config.publicDirectory == site)
        #expect(config.logLevel == "debug")
        // With no file, the default `public` ("Public", relative) is what the override replaces.
        #expect(try ServerConfig.load(file: nil, environment: ["MINIHTTP_PUBLIC": site]).publicDirectory == site)
    }

    @Test("the environment other than PORT, HOST and MINIHTTP_ is not read")
    func otherVariables() throws {
        let config = try ServerConfig.load(
            file: file("{\"public\": null}"), environment: ["WORKERS": "x", "minihttp_port": "x", "PATH": "/bin", "LOG_LEVEL": "x"])
        let fileAlone = try ServerConfig.decode(Data("{\"public\": null}".utf8), file: "y")
        #expect(config == fileAlone)
    }
}
