#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The configuration's environment variables: `MINIHTTP_` and the key in UPPER_SNAKE case
/// (`keepAliveTimeoutSeconds` → `MINIHTTP_KEEP_ALIVE_TIMEOUT_SECONDS`, `gzip.level` → `MINIHTTP_GZIP_LEVEL`),
/// plus the platforms' `PORT` and `HOST`. A value is text; its key's type says how it is read.
enum EnvironmentVariables {
    static let prefix = "MINIHTTP_"

    /// How a variable's text becomes the JSON value the file would hold.
    enum Kind {
        case string
        /// Empty means JSON `null` (off, none).
        case optionalString
        case integer
        /// `true` or `false`.
        case boolean
        /// Comma-separated, spaces around items ignored; empty is the empty list.
        case list
        /// A JSON object, because its values may hold commas (`cacheControl`), or as in the file (`errorPages`).
        case jsonObject
    }

    /// Every key the file accepts, by its dotted path, with the type of its value. A test checks that this
    /// matches the keys the file loader knows.
    static let keys: [(path: String, kind: Kind)] = [
        ("host", .string), ("port", .integer), ("workers", .integer), ("backlog", .integer),
        ("reusePort", .boolean), ("public", .optionalString), ("index", .string), ("directoryListing", .boolean),
        ("cacheControl", .jsonObject), ("spaFallback", .optionalString), ("errorPages", .jsonObject),
        ("gzip.enabled", .boolean), ("gzip.level", .integer), ("gzip.minBytes", .integer),
        ("gzip.maxBytes", .integer), ("gzip.cacheBytes", .integer),
        ("fileCache.maxEntries", .integer), ("fileCache.maxBytes", .integer), ("fileCache.validitySeconds", .integer),
        ("statusPath", .optionalString), ("metricsPath", .optionalString), ("statusAllow", .list),
        ("trustedProxies", .list), ("proxyProtocol", .boolean), ("forwardedHeader", .optionalString),
        ("keepAliveTimeoutSeconds", .integer), ("headerTimeoutSeconds", .integer), ("bodyTimeoutSeconds", .integer),
        ("writeTimeoutSeconds", .integer), ("maxRequestsPerConnection", .integer), ("maxHeaderBytes", .integer),
        ("maxURIBytes", .integer), ("maxBodyBytes", .integer), ("maxConnections", .integer),
        ("maxConnectionsPerClient", .integer), ("drainDelaySeconds", .integer), ("shutdownGraceSeconds", .integer),
        ("accessLog", .boolean), ("accessLogPath", .optionalString), ("logLevel", .string),
    ]

    /// Variable name → (key path, kind).
    static let byName: [String: (path: String, kind: Kind)] = Dictionary(
        uniqueKeysWithValues: keys.map { (name(forKey: $0.path), $0) })

    /// The platforms' names (Heroku, Cloud Run, Fly.io, Render …), read as `port` and `host`.
    static let platformNames = ["PORT": "port", "HOST": "host"]

    /// `MINIHTTP_` and the key path in UPPER_SNAKE case: a word starts at an uppercase letter after a
    /// lowercase one or a digit, and at the last capital of an acronym before a lowercase letter
    /// (`maxURIBytes` → `MAX_URI_BYTES`); a `.` becomes `_`.
    static func name(forKey path: String) -> String {
        var result = prefix
        let characters = Array(path)
        for (index, character) in characters.enumerated() {
            if character == "." { result += "_"; continue }
            if index > 0, character.isUppercase {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber
                    || (previous.isUppercase && next.map { $0.isLowercase } == true) {
                    result += "_"
                }
            }
            result += character.uppercased()
        }
        return result
    }

    /// Reads `text` as a value of `kind`, or says why it cannot.
    static func value(_ text: String, as kind: Kind) -> Result<JSONValue, Problem> {
        // A stray CR from a CRLF env file would otherwise end up in a path or a header value; only JSON may
        // span lines.
        if kind != .jsonObject, text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(Problem("expected a value without control characters, got \(shown(text))"))
        }
        switch kind {
        case .string:
            return .success(.string(text))
        case .optionalString:
            return .success(text.isEmpty ? .null : .string(text))
        case .integer:
            guard let integer = Int(text), text.first != "+" else {
                return .failure(Problem("expected an integer, got \(shown(text))"))
            }
            // A JSON number is a Double: beyond 2^53 it would not be the number written.
            guard integer.magnitude <= 1 << 53 else { return .failure(Problem("\(integer) is out of range")) }
            return .success(.number(Double(integer)))
        case .boolean:
            switch text {
            case "true": return .success(.bool(true))
            case "false": return .success(.bool(false))
            default: return .failure(Problem("expected true or false, got \(shown(text))"))
            }
        case .list:
            if text.isEmpty { return .success(.array([])) }
            let items = text.split(separator: ",", omittingEmptySubsequences: false).map { item in
                String(item.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
            }
            if items.contains(where: \.isEmpty) {
                return .failure(Problem("expected a comma-separated list without empty items, got \(shown(text))"))
            }
            return .success(.array(items.map { .string($0) }))
        case .jsonObject:
            let bytes = Array(text.utf8)
            guard let object = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), case .object = object else {
                return .failure(Problem("expected a JSON object, got \(shown(text))"))
            }
            if let repeated = DuplicateKeys.first(in: bytes) { return .failure(Problem("\(repeated) appears twice")) }
            return .success(object)
        }
    }

    /// Why a variable's text cannot be read.
    struct Problem: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The value quoted for a one-line message: control characters escaped, long values cut.
    static func shown(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars.prefix(80) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        if text.unicodeScalars.count > 80 { result += "…" }
        return "'" + result + "'"
    }

    /// Why `name` (an unknown `MINIHTTP_` variable) is refused; for the variables Kubernetes gives a pod for
    /// each Service (`minihttp` or `minihttp-web`: `MINIHTTP_SERVICE_HOST`, `MINIHTTP_WEB_PORT_80_TCP_ADDR` …),
    /// also where they come from.
    static func unknownReason(_ name: String, value: String) -> String {
        isServiceLink(name, value: value) ? "unknown variable; " + serviceLinkHint : "unknown variable (not a configuration key)"
    }

    /// Kubernetes' Docker-links-style variables: `<SERVICE>_SERVICE_HOST`, `<SERVICE>_SERVICE_PORT[_NAME]`,
    /// `<SERVICE>_PORT=tcp://…`, `<SERVICE>_PORT_<n>_<TCP|UDP|SCTP>[_PROTO|_PORT|_ADDR]`.
    static func isServiceLink(_ name: String, value: String) -> Bool {
        if name.hasSuffix("_SERVICE_HOST") || name.hasSuffix("_SERVICE_PORT") || name.contains("_SERVICE_PORT_") { return true }
        if ["tcp://", "udp://", "sctp://"].contains(where: value.hasPrefix) { return true }
        let words = name.split(separator: "_")
        return words.indices.dropLast(2).contains { index in
            words[index] == "PORT" && words[index + 1].allSatisfy(\.isNumber) && ["TCP", "UDP", "SCTP"].contains(words[index + 2])
        }
    }

    static let serviceLinkHint =
        "a Kubernetes Service named 'minihttp' or 'minihttp-…' sets it: set enableServiceLinks: false in the pod spec"
}
