#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

extension ServerConfig {
    /// Reads and validates a configuration file. Relative paths in it stay relative to the working directory.
    /// - Throws: ``ConfigError`` naming the file and the key: a missing file, invalid JSON, an unknown key,
    ///   a wrong type or a value out of range.
    public static func load(from path: String) throws(ConfigError) -> ServerConfig {
        let config = try loadUnvalidated(from: path)
        try config.validate(file: path)
        return config
    }

    /// Decodes and validates configuration JSON; `file` names it in errors.
    public static func decode(_ data: Data, file: String) throws(ConfigError) -> ServerConfig {
        let config = try decodeUnvalidated(data, file: file)
        try config.validate(file: file)
        return config
    }

    /// Reads the file's keys over the defaults, checking each value's type and range but not the whole:
    /// the environment and flags may still replace what `validate` would refuse (the default `public`).
    static func loadUnvalidated(from path: String) throws(ConfigError) -> ServerConfig {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(file: path, key: nil, reason: "cannot read the file (\(Self.reason(error)))")
        }
        return try decodeUnvalidated(data, file: path)
    }

    static func decodeUnvalidated(_ data: Data, file: String) throws(ConfigError) -> ServerConfig {
        let object: JSONValue
        do {
            object = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ConfigError(file: file, key: nil, reason: "invalid JSON (\(Self.reason(error)))")
        }
        guard case .object(let fields) = object else {
            throw ConfigError(file: file, key: nil, reason: "expected a JSON object at the top level")
        }
        if let repeated = DuplicateKeys.first(in: Array(data)) {
            throw ConfigError(file: file, key: repeated, reason: "appears twice")
        }
        var config = ServerConfig()
        var reader = ConfigReader(file: file)
        for (key, value) in fields {
            try config.apply(key: key, value: value, reader: &reader)
        }
        return config
    }

    mutating func apply(key: String, value: JSONValue, reader: inout ConfigReader) throws(ConfigError) {
        switch key {
        case "host": host = try reader.string(key, value)
        case "port": port = try reader.int(key, value, in: 0...65535)
        case "workers": workers = try reader.int(key, value, in: 0...1024)
        case "backlog": backlog = try reader.int(key, value, in: 1...65535)
        case "reusePort": reusePort = try reader.bool(key, value)
        case "public": publicDirectory = try reader.optionalString(key, value)
        case "index": index = try reader.string(key, value)
        case "directoryListing": directoryListing = try reader.bool(key, value)
        case "cacheControl": cacheControl = try reader.stringMap(key, value)
        case "spaFallback": spaFallback = try reader.optionalString(key, value)
        case "errorPages": errorPages = try reader.statusMap(key, value)
        case "gzip": try reader.object(key, value) { name, field throws(ConfigError) in
                try gzip.apply(key: name, value: field, path: "\(key).\(name)", reader: reader)
            }
        case "fileCache": try reader.object(key, value) { name, field throws(ConfigError) in
                try fileCache.apply(key: name, value: field, path: "\(key).\(name)", reader: reader)
            }
        case "statusPath": statusPath = try reader.optionalString(key, value)
        case "metricsPath": metricsPath = try reader.optionalString(key, value)
        case "statusAllow": statusAllow = try reader.strings(key, value)
        case "trustedProxies": trustedProxies = try reader.strings(key, value)
        case "proxyProtocol": proxyProtocol = try reader.bool(key, value)
        case "forwardedHeader":
            if let name = try reader.optionalString(key, value) {
                guard let header = ForwardedHeader(name: name) else {
                    throw ConfigError(file: reader.file, key: key, reason: "must be \"X-Forwarded-For\", \"Forwarded\" or null")
                }
                forwardedHeader = header
            } else {
                forwardedHeader = .none
            }
        case "keepAliveTimeoutSeconds": keepAliveTimeoutSeconds = try reader.int(key, value, in: 1...3600)
        case "headerTimeoutSeconds": headerTimeoutSeconds = try reader.int(key, value, in: 1...3600)
        case "bodyTimeoutSeconds": bodyTimeoutSeconds = try reader.int(key, value, in: 1...3600)
        case "writeTimeoutSeconds": writeTimeoutSeconds = try reader.int(key, value, in: 1...3600)
        case "maxRequestsPerConnection":
            maxRequestsPerConnection = try reader.int(key, value, in: 1...Int(Int32.max))
        case "maxHeaderBytes": maxHeaderBytes = try reader.int(key, value, in: 1024...(16 << 20))
        case "maxURIBytes": maxURIBytes = try reader.int(key, value, in: 256...(1 << 20))
        case "maxBodyBytes": maxBodyBytes = try reader.int(key, value, in: 0...(1 << 30))
        case "maxConnections": maxConnections = try reader.int(key, value, in: 1...1_000_000)
        case "maxConnectionsPerClient": maxConnectionsPerClient = try reader.int(key, value, in: 0...1_000_000)
        case "drainDelaySeconds": drainDelaySeconds = try reader.int(key, value, in: 0...3600)
        case "shutdownGraceSeconds": shutdownGraceSeconds = try reader.int(key, value, in: 0...3600)
        case "accessLog": accessLog = try reader.bool(key, value)
        case "accessLogPath": accessLogPath = try reader.optionalString(key, value)
        case "logLevel": logLevel = try reader.string(key, value)
        default: throw ConfigError(file: reader.file, key: key, reason: "unknown key")
        }
    }

    /// Checks what single keys cannot: names, paths, levels and address lists (``check()``), and that the
    /// public folder exists.
    public func validate(file: String) throws(ConfigError) {
        do {
            _ = try check()
        } catch {
            throw ConfigError(file: file, key: error.key, reason: error.reason)
        }
        if let publicDirectory, !FileSystem.isDirectory(publicDirectory) {
            throw ConfigError(file: file, key: "public", reason: "'\(publicDirectory)' is not a directory")
        }
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    private static func reason(_ error: any Error) -> String {
        if let decoding = error as? DecodingError, case .dataCorrupted(let context) = decoding {
            return context.underlyingError.map { "\($0)" } ?? context.debugDescription
        }
        if let cocoa = error as? CocoaError, let underlying = cocoa.userInfo["NSUnderlyingError"] {
            return "\(underlying)"
        }
        return "\(error)"
    }
}

/// Turns JSON values into typed settings, or a ``ConfigError`` that names the key.
struct ConfigReader {
    let file: String

    func string(_ key: String, _ value: JSONValue) throws(ConfigError) -> String {
        guard case .string(let string) = value else { throw mismatch(key, "a string", value) }
        return string
    }

    func stringMap(_ key: String, _ value: JSONValue) throws(ConfigError) -> [String: String] {
        guard case .object(let fields) = value else { throw mismatch(key, "an object", value) }
        var map: [String: String] = [:]
        for (name, field) in fields { map[name] = try string("\(key).\(name)", field) }
        return map
    }

    /// An object whose keys are status codes (`"404"`) and values strings.
    func statusMap(_ key: String, _ value: JSONValue) throws(ConfigError) -> [Int: String] {
        var map: [Int: String] = [:]
        for (name, page) in try stringMap(key, value) {
            guard let code = Int(name), name.utf8.count == 3, (400...599).contains(code) else {
                throw ConfigError(file: file, key: "\(key).\(name)", reason: "must be a status code from 400 to 599")
            }
            map[code] = page
        }
        return map
    }

    func strings(_ key: String, _ value: JSONValue) throws(ConfigError) -> [String] {
        guard case .array(let elements) = value else { throw mismatch(key, "an array of strings", value) }
        var strings: [String] = []
        for element in elements { strings.append(try string(key, element)) }
        return strings
    }

    func object(
        _ key: String, _ value: JSONValue, _ apply: (String, JSONValue) throws(ConfigError) -> Void
    ) throws(ConfigError) {
        guard case .object(let fields) = value else { throw mismatch(key, "an object", value) }
        for (name, field) in fields { try apply(name, field) }
    }

    func optionalString(_ key: String, _ value: JSONValue) throws(ConfigError) -> String? {
        if case .null = value { return nil }
        guard case .string(let string) = value else { throw mismatch(key, "a string or null", value) }
        return string
    }

    func bool(_ key: String, _ value: JSONValue) throws(ConfigError) -> Bool {
        guard case .bool(let bool) = value else { throw mismatch(key, "true or false", value) }
        return bool
    }

    func int(_ key: String, _ value: JSONValue, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard case .number(let number) = value else { throw mismatch(key, "an integer", value) }
        guard let integer = Int(exactly: number) else { throw mismatch(key, "an integer", value) }
        guard range.contains(integer) else {
            throw ConfigError(file: file, key: key, reason: "\(integer) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return integer
    }

    private func mismatch(_ key: String, _ expected: String, _ value: JSONValue) -> ConfigError {
        ConfigError(file: file, key: key, reason: "expected \(expected), found \(value.kind)")
    }
}

extension GzipSettings {
    mutating func apply(key: String, value: JSONValue, path: String, reader: ConfigReader) throws(ConfigError) {
        switch key {
        case "enabled": enabled = try reader.bool(path, value)
        case "level": level = try reader.int(path, value, in: 1...9)
        case "minBytes": minBytes = try reader.int(path, value, in: 0...(1 << 30))
        case "maxBytes": maxBytes = try reader.int(path, value, in: 0...(1 << 30))
        case "cacheBytes": cacheBytes = try reader.int(path, value, in: 0...(1 << 34))
        default: throw ConfigError(file: reader.file, key: path, reason: "unknown key")
        }
    }
}

extension FileCacheSettings {
    mutating func apply(key: String, value: JSONValue, path: String, reader: ConfigReader) throws(ConfigError) {
        switch key {
        case "maxEntries": maxEntries = try reader.int(path, value, in: 0...1_000_000)
        case "maxBytes": maxBytes = try reader.int(path, value, in: 0...(1 << 34))
        case "validitySeconds": validitySeconds = try reader.int(path, value, in: 0...3600)
        default: throw ConfigError(file: reader.file, key: path, reason: "unknown key")
        }
    }
}
