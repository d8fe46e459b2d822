import MiniHTTPCore

/// A setting that cannot be used: its key and why.
package struct ConfigProblem: Error {
    package let key: String
    package let reason: String
}

/// The address lists of a checked configuration, parsed.
package struct AddressLists: Sendable {
    package let statusAllow: AddressRanges
    package let trustedProxies: AddressRanges
}

extension ServerConfig {
    /// Checks what single keys cannot — names, paths, levels, address lists — for a file
    /// (``validate(file:)``) and a configuration built in code (`Server.init`) alike, and returns the lists
    /// parsed.
    package func check() throws(ConfigProblem) -> AddressLists {
        if host.isEmpty { throw ConfigProblem(key: "host", reason: "must not be empty") }
        if index.isEmpty || index.contains("/") {
            throw ConfigProblem(key: "index", reason: "must be a file name without '/'")
        }
        if let statusPath, let problem = Self.literalPathProblem(statusPath) {
            throw ConfigProblem(key: "statusPath", reason: problem)
        }
        if let metricsPath, let problem = Self.literalPathProblem(metricsPath) {
            throw ConfigProblem(key: "metricsPath", reason: problem)
        }
        if let metricsPath, metricsPath == statusPath {
            throw ConfigProblem(key: "metricsPath", reason: "must differ from statusPath")
        }
        let lists = AddressLists(
            statusAllow: try Self.addressRanges(statusAllow, key: "statusAllow"),
            trustedProxies: try Self.addressRanges(trustedProxies, key: "trustedProxies"))
        if proxyProtocol, trustedProxies.isEmpty {
            throw ConfigProblem(key: "proxyProtocol", reason: "needs trustedProxies: the proxies that send the PROXY header")
        }
        for (key, value) in cacheControl {
            guard key.hasPrefix("/") || (key.hasPrefix(".") && key.count > 1) else {
                throw ConfigProblem(key: "cacheControl.\(key)", reason: "must be a path prefix starting with '/' or an extension starting with '.'")
            }
            guard !value.isEmpty, value.utf8.allSatisfy(ASCII.isFieldValueByte) else {
                throw ConfigProblem(key: "cacheControl.\(key)", reason: "must be a non-empty header value without control characters")
            }
        }
        try checkPages()
        if gzip.minBytes > gzip.maxBytes {
            throw ConfigProblem(key: "gzip.minBytes", reason: "must not exceed gzip.maxBytes")
        }
        if !Self.logLevels.contains(logLevel) {
            throw ConfigProblem(
                key: "logLevel", reason: "must be one of \(Self.logLevels.joined(separator: ", "))")
        }
        return lists
    }

    private static func addressRanges(_ entries: [String], key: String) throws(ConfigProblem) -> AddressRanges {
        do {
            return try AddressRanges(entries)
        } catch {
            throw ConfigProblem(key: key, reason: error.message)
        }
    }
}
