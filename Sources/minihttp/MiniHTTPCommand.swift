import ArgumentParser
import Glibc
import Logging
import MiniHTTP

@main
struct MiniHTTPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minihttp",
        abstract: "A small, fast HTTP/1.1 server: static files, code routes and a JSON status endpoint.",
        discussion: """
            Serves the public folder (default: Public/) and /status. Settings come from the JSON file given \
            with --config (every key optional), then from the environment (PORT, HOST, MINIHTTP_<KEY> such \
            as MINIHTTP_WORKERS), then from the flags. SIGINT or SIGTERM drains and exits; SIGUSR1 reopens \
            the access log file.
            """,
        version: "minihttp 0.1.0")

    @Option(name: .long, help: ArgumentHelp("The JSON configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: "Address to listen on (overrides 'host'), e.g. 0.0.0.0, ::, 127.0.0.1.")
    var host: String?

    @Option(name: .long, help: "TCP port (overrides 'port'); 0 picks a free one.")
    var port: Int?

    @Option(name: .long, help: "Worker threads (overrides 'workers'); 0 means one per CPU.")
    var workers: Int?

    @Option(name: .customLong("public"), help: ArgumentHelp("Folder to serve (overrides 'public').", valueName: "path"))
    var publicDirectory: String?

    @Flag(name: .long, help: "Validate the configuration, print the effective settings and exit (0 valid, 2 invalid).")
    var check = false

    /// As `parse` then `run`, except that a usage error (an unknown or malformed flag) exits 2, as
    /// `--check` does for an invalid configuration, rather than ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandleStandardError.write(fullMessage(for: error) + "\n")
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        if let workers, !(0...1024).contains(workers) { throw ValidationError("--workers must be between 0 and 1024") }
    }

    func run() throws {
        let settings: ServerConfig
        do {
            settings = try effectiveConfiguration()
        } catch {
            printError("minihttp: \(error)")
            throw ExitCode(2)
        }
        if check {
            print(settings.summary)
            return
        }
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let server: Server
        do {
            server = try Server(configuration: settings, logger: Logger(label: "minihttp"))
        } catch {
            printError("minihttp: \(error)")
            throw ExitCode(1)
        }
        print("minihttp serving \(server.localURL) (public: \(settings.publicDirectory ?? "none"), status: \(settings.statusPath ?? "off"))")
        fflush(nil)
        do {
            try server.run()
        } catch {
            printError("minihttp: \(error)")
            throw ExitCode(1)
        }
    }

    /// The defaults < the file < the environment < the flags, validated once at the end
    /// (``ServerConfig/load(file:environment:commandLine:)``).
    private func effectiveConfiguration() throws(ConfigError) -> ServerConfig {
        try ServerConfig.load(
            file: config,
            commandLine: CommandLineSettings(host: host, port: port, workers: workers, publicDirectory: publicDirectory))
    }

    private func printError(_ message: String) {
        FileHandleStandardError.write(message + "\n")
    }
}

enum FileHandleStandardError {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
