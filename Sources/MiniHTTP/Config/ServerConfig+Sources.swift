#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The settings `minihttp`'s flags give; nil leaves a key to the environment, the file or the default.
public struct CommandLineSettings: Sendable, Equatable {
    /// `--host`
    public var host: String?
    /// `--port`
    public var port: Int?
    /// `--workers`
    public var workers: Int?
    /// `--public`
    public var publicDirectory: String?

    /// Flags not given stay nil.
    public init(host: String? = nil, port: Int? = nil, workers: Int? = nil, publicDirectory: String? = nil) {
        self.host = host
        self.port = port
        self.workers = workers
        self.publicDirectory = publicDirectory
    }
}

extension ServerConfig {
    /// The settings as `minihttp` runs with them: the defaults, then the file (if any), then the environment
    /// (`PORT`, `HOST`, `MINIHTTP_<KEY>`), then the flags; validated once, at the end, and checked against
    /// the machine (``checkEnvironment(file:)``). A problem is blamed on where its value came from: the
    /// file and key (`x.json: port: …`), the variable (`environment: MINIHTTP_WORKERS: …`) or the flag
    /// (`command line: --public: …`).
    /// - Parameters:
    ///   - file: the JSON configuration file, or nil for the defaults.
    ///   - environment: the variables to read; the process's by default (tests pass their own).
    ///   - commandLine: the flags' values.
    /// - Throws: ``ConfigError``, one line naming the source.
    public static func load(
        file: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        commandLine: CommandLineSettings = CommandLineSettings()
    ) throws(ConfigError) -> ServerConfig {
        var config = try file.map { path throws(ConfigError) in try loadUnvalidated(from: path) } ?? ServerConfig()
        var blame: [String: (file: String, key: String)] = [:]  // key path → where its value came from
        try config.applyEnvironment(environment, blame: &blame)
        // The flags go through the file's checks too (a program may pass any Int for `port`).
        let flags: [(key: String, flag: String, value: JSONValue?)] = [
            ("host", "--host", commandLine.host.map { .string($0) }),
            ("port", "--port", commandLine.port.map { .number(Double($0)) }),
            ("workers", "--workers", commandLine.workers.map { .number(Double($0)) }),
            ("public", "--public", commandLine.publicDirectory.map { .string($0) }),
        ]
        var reader = ConfigReader(file: "command line")
        for (key, flag, value) in flags {
            guard let value else { continue }
            do {
                try config.apply(key: key, value: value, reader: &reader)
            } catch {
                throw ConfigError(file: "command line", key: flag, reason: error.reason)
            }
            blame[key] = ("command line", flag)
        }
        let label = file ?? "defaults"
        do {
            try config.validate(file: label)
            try config.checkEnvironment(file: label)
        } catch {
            let key = error.key ?? ""
            let top = String(key.prefix { $0 != "." })
            if let source = blame[key] ?? blame[top] {
                throw ConfigError(file: source.file, key: source.key, reason: error.reason)
            }
            throw error
        }
        return config
    }

    /// Applies `PORT`, `HOST` and every `MINIHTTP_` variable, in name order (so the first problem reported
    /// is the same on every run). An unknown `MINIHTTP_` variable is refused: a typo silently ignored
    /// would run the server with a setting its operator did not choose.
    mutating func applyEnvironment(
        _ environment: [String: String], blame: inout [String: (file: String, key: String)]
    ) throws(ConfigError) {
        for (name, text) in environment.sorted(by: { $0.key < $1.key }) {
            let path: String
            let kind: EnvironmentVariables.Kind
            if let key = EnvironmentVariables.platformNames[name] {
                let specific = EnvironmentVariables.name(forKey: key)
                if let other = environment[specific], other != text {
                    throw ConfigError(
                        file: "environment", key: name,
                        reason: "\(EnvironmentVariables.shown(text)) disagrees with \(specific)=\(EnvironmentVariables.shown(other))")
                }
                (path, kind) = (key, key == "port" ? .integer : .string)
            } else if name.hasPrefix(EnvironmentVariables.prefix) {
                guard let known = EnvironmentVariables.byName[name] else {
                    throw ConfigError(file: "environment", key: name, reason: EnvironmentVariables.unknownReason(name, value: text))
                }
                (path, kind) = known
            } else {
                continue
            }
            try apply(variable: name, text: text, path: path, kind: kind)
            blame[path] = ("environment", name)
        }
    }

    /// Sets the key at `path` (`port`, `gzip.level`) from a variable's text, through the same checks as
    /// the file's value; a problem names the variable.
    private mutating func apply(
        variable: String, text: String, path: String, kind: EnvironmentVariables.Kind
    ) throws(ConfigError) {
        let value: JSONValue
        switch EnvironmentVariables.value(text, as: kind) {
        case .success(let read):
            value = read
        case .failure(let problem):
            // Kubernetes gives a pod MINIHTTP_PORT=tcp://10.0.0.11:80 for a Service named `minihttp`.
            let hint = EnvironmentVariables.isServiceLink(variable, value: text) ? "; " + EnvironmentVariables.serviceLinkHint : ""
            throw ConfigError(file: "environment", key: variable, reason: problem.reason + hint)
        }
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        var reader = ConfigReader(file: "environment")
        do {
            if parts.count == 2 {
                try apply(key: parts[0], value: .object([(parts[1], value)]), reader: &reader)
            } else {
                try apply(key: path, value: value, reader: &reader)
            }
        } catch {
            throw ConfigError(file: "environment", key: variable, reason: error.reason)
        }
    }
}
