import Foundation
import Glibc
import Testing

/// The `minihttp` binary beside this test bundle (`.build/<triple>/debug/`), if it is linked from the
/// current objects: `swift test` recompiles the modules but does not relink the binary, so an object newer
/// than it means it is out of date. (Object files, not sources: a change that leaves the objects as they
/// were, such as a comment, rightly leaves the binary current.)
enum BuiltCommand {
    static let path: String? = {
        let files = FileManager.default
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        let binary = folder + "/minihttp"
        func modified(_ path: String) -> Date? { (try? files.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        guard files.isExecutableFile(atPath: binary), let linked = modified(binary) else { return nil }
        // The modules linked into the command: its own, the library's, the C shims — not tests, examples,
        // or the optional products (MiniHTTPTesting, MiniHTTPServiceLifecycle).
        let modules = ((try? files.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasSuffix(".build") && !$0.contains("Tests") && !$0.contains("Example") && !$0.contains("ServiceLifecycle")
                && !$0.contains("Testing")
        }
        for module in modules {
            let objects = ((try? files.contentsOfDirectory(atPath: folder + "/" + module)) ?? []).filter { $0.hasSuffix(".o") }
            if objects.contains(where: { modified(folder + "/" + module + "/" + $0).map { $0 > linked } ?? false }) { return nil }
        }
        return binary
    }()
}

/// The built `minihttp` binary, run as a container would run it: a working directory without `Public/`,
/// settings in the environment. `swift test` builds the binary too; one that is missing or older than its
/// objects fails these tests (saying so) rather than being skipped or tested while out of date.
@Suite("minihttp from the environment, end to end")
struct CommandEnvironmentTests {
    let folder = TemporaryDirectory()

    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs the binary in the temporary folder with exactly `environment`; killed after 20 s (a `--check`
    /// that hung would otherwise hang the suite).
    func run(_ arguments: [String], environment: [String: String]) throws -> Outcome {
        let binary = try #require(BuiltCommand.path, "no minihttp beside the test bundle, or one older than its objects: run `swift build`")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: watchdog)
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            errors: String(decoding: err, as: UTF8.self))
    }

    /// A configuration file without `public`, and a folder to serve, in a working directory without `Public/`.
    func prepare() -> (config: String, site: String) {
        folder.write("site/index.html", "hi")
        return (folder.write("x.json", "{\"statusPath\": \"/up\"}"), folder.path + "/site")
    }

    @Test("--public replaces the default 'Public' before it is checked (there is no Public/ here)")
    func publicFlagBeforeValidation() throws {
        let (config, site) = prepare()
        let outcome = try run(["--config", config, "--public", site, "--check"], environment: [:])
        #expect(outcome.errors == "")
        #expect(outcome.status == 0)
        #expect(outcome.output.contains("\n  public: \"\(site)\"\n"))
    }

    @Test("PORT and MINIHTTP_WORKERS override the file; --port overrides PORT")
    func precedence() throws {
        let (config, site) = prepare()
        let environment = ["PORT": "9000", "MINIHTTP_WORKERS": "2", "MINIHTTP_PUBLIC": site]
        let fromEnvironment = try run(["--config", config, "--check"], environment: environment)
        #expect(fromEnvironment.status == 0)
        #expect(fromEnvironment.output.contains("\n  port: 9000\n"))
        #expect(fromEnvironment.output.contains("\n  workers: 2 (2 threads)\n"))
        let fromFlag = try run(["--config", config, "--port", "9001", "--check"], environment: environment)
        #expect(fromFlag.status == 0)
        #expect(fromFlag.output.contains("\n  port: 9001\n"))
    }

    @Test("a bad or unknown variable: one line naming it, exit status 2", arguments: [
        (["MINIHTTP_WORKERS": "x"], "minihttp: environment: MINIHTTP_WORKERS: expected an integer, got 'x'\n"),
        (["MINIHTTP_WORKRES": "2"], "minihttp: environment: MINIHTTP_WORKRES: unknown variable (not a configuration key)\n"),
    ])
    func badVariable(_ environment: [String: String], _ expected: String) throws {
        let (config, site) = prepare()
        for arguments in [["--config", config, "--public", site, "--check"], ["--config", config, "--public", site]] {
            let outcome = try run(arguments, environment: environment)
            #expect(outcome.status == 2)
            #expect(outcome.errors == expected)
            #expect(outcome.output == "")
        }
    }

    @Test("PORT=0 HOST=127.0.0.1: the server listens where the environment says and answers")
    func serves() throws {
        let (config, site) = prepare()
        let binary = try #require(BuiltCommand.path, "no minihttp beside the test bundle, or one older than its objects: run `swift build`")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--config", config]
        process.environment = ["PORT": "0", "HOST": "127.0.0.1", "MINIHTTP_PUBLIC": site, "MINIHTTP_ACCESS_LOG": "false"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 20, execute: watchdog)
        defer {
            kill(pid, SIGTERM)
            process.waitUntilExit()
            watchdog.cancel()
        }
        // The first line announces the URL; at EOF (the server died) availableData is empty.
        var announced = ""
        while !announced.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            announced += String(decoding: data, as: UTF8.self)
        }
        let port = try #require(
            announced.split(separator: ":").dropFirst(2).first.flatMap { Int($0.prefix { $0.isNumber }) },
            "announced: \(announced)")
        #expect(port != 0 && port != 8080)
        let client = try TestClient(port: port)
        let response = try client.request("GET /up HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(response.status == 200)
        let page = try TestClient(port: port).request("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(page.text == "hi")
    }
}
