import Foundation
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Configuration")
struct ServerConfigTests {
    func decode(_ json: String) throws(ConfigError) -> ServerConfig {
        try ServerConfig.decode(Data(json.utf8), file: "test.json")
    }

    @Test("an empty object gives the defaults")
    func defaults() throws {
        let config = try decode("{\"public\": null}")
        var expected = ServerConfig()
        expected.publicDirectory = nil
        #expect(config == expected)
        #expect(config.port == 8080)
        #expect(config.maxURIBytes == 8192)
        #expect(config.maxHeaderBytes == 65536)
        #expect(config.maxBodyBytes == 1_048_576)
        #expect(config.keepAliveTimeoutSeconds == 15)
        #expect(config.shutdownGraceSeconds == 10)
    }

    @Test("the shipped Config/server.json is valid")
    func shippedFile() throws {
        let path = #filePath.components(separatedBy: "/Tests/")[0] + "/Config/server.json"
        let config = try ServerConfig.decode(Data(contentsOf: URL(fileURLWithPath: path)), file: path)
        #expect(config.port == 8080)
    }

    @Test("keys are read")
    func reads() throws {
        let config = try decode("""
            {"host": "127.0.0.1", "port": 9000, "workers": 3, "public": null, "statusPath": "/health",
             "accessLog": false, "maxBodyBytes": 10, "logLevel": "debug", "metricsPath": "/metrics",
             "statusAllow": ["127.0.0.1", "10.0.0.0/8"], "trustedProxies": ["::1"], "proxyProtocol": true}
            """)
        #expect(config.metricsPath == "/metrics")
        #expect(config.statusAllow == ["127.0.0.1", "10.0.0.0/8"])
        #expect(config.trustedProxies == ["::1"])
        #expect(config.proxyProtocol)
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 9000)
        #expect(config.workers == 3)
        #expect(config.effectiveWorkers == 3)
        #expect(config.statusPath == "/health")
        #expect(config.accessLog == false)
        #expect(config.maxBodyBytes == 10)
    }

    @Test("problems name the file and the key", arguments: [
        ("{\"prot\": 1, \"public\": null}", "test.json: prot: unknown key"),
        ("{\"port\": \"80\", \"public\": null}", "test.json: port: expected an integer, found a string"),
        ("{\"port\": 80.5, \"public\": null}", "test.json: port: expected an integer, found a number"),
        ("{\"port\": 70000, \"public\": null}", "test.json: port: 70000 is out of range 0...65535"),
        ("{\"accessLog\": 1, \"public\": null}", "test.json: accessLog: expected true or false, found a number"),
        ("{\"logLevel\": \"loud\", \"public\": null}", "test.json: logLevel: must be one of trace, debug, info, notice, warning, error, critical"),
        ("{\"statusPath\": \"status\", \"public\": null}", "test.json: statusPath: must start with '/'"),
        ("{\"public\": \"/no/such/folder\"}", "test.json: public: '/no/such/folder' is not a directory"),
        ("[1, 2]", "test.json: expected a JSON object at the top level"),
        ("{\"trustedProxies\": [\"10.0.0.0/8\", \"proxy\"], \"public\": null}", "test.json: trustedProxies: 'proxy' is not an IP address or CIDR range"),
        ("{\"statusAllow\": \"10.0.0.1\", \"public\": null}", "test.json: statusAllow: expected an array of strings, found a string"),
        ("{\"statusAllow\": [\"10.0.0.1/33\"], \"public\": null}", "test.json: statusAllow: '10.0.0.1/33' is not an IP address or CIDR range"),
        ("{\"proxyProtocol\": true, \"public\": null}", "test.json: proxyProtocol: needs trustedProxies: the proxies that send the PROXY header"),
        ("{\"metricsPath\": \"/status\", \"public\": null}", "test.json: metricsPath: must differ from statusPath"),
    ])
    func problems(_ json: String, _ message: String) {
        #expect(throws: ConfigError.self) { try decode(json) }
        do {
            _ = try decode(json)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("invalid JSON and a missing file are reported with the file name")
    func unreadable() {
        do {
            _ = try decode("{\"port\": ")
            Issue.record("accepted invalid JSON")
        } catch {
            #expect(error.key == nil)
            #expect(error.description.hasPrefix("test.json: invalid JSON"))
        }
        do {
            _ = try ServerConfig.load(from: "/no/such/file.json")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.hasPrefix("/no/such/file.json: cannot read the file"))
        }
    }
}
