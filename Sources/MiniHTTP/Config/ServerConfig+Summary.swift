import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
extension ServerConfig {
    /// The effective settings, one `key: value` per line, as `minihttp --check` prints them.
    public var summary: String {
        func show(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "null" }
        func list(_ values: [String]) -> String { "[" + values.map { show($0) }.joined(separator: ", ") + "]" }
        let lines: [(String, String)] = [
            ("host", show(host)), ("port", "\(port)"), ("workers", "\(workers) (\(effectiveWorkers) threads)"),
            ("backlog", "\(backlog)"), ("reusePort", "\(reusePort)"), ("public", show(publicDirectory)), ("index", show(index)), ("directoryListing", "\(directoryListing)"),
            ("cacheControl", cacheControl.isEmpty ? "{}" : cacheControl.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "; ")),
            ("spaFallback", show(spaFallback)),
            ("errorPages", errorPages.isEmpty ? "{}" : errorPages.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "; ")),
            ("gzip", "enabled \(gzip.enabled), level \(gzip.level), minBytes \(gzip.minBytes), maxBytes \(gzip.maxBytes), cacheBytes \(gzip.cacheBytes)"),
            ("fileCache", "maxEntries \(fileCache.maxEntries), maxBytes \(fileCache.maxBytes), validitySeconds \(fileCache.validitySeconds)"),
            ("statusPath", show(statusPath)), ("metricsPath", show(metricsPath)),
            ("statusAllow", list(statusAllow)), ("trustedProxies", list(trustedProxies)),
            ("forwardedHeader", forwardedHeader == .none ? "null" : show(forwardedHeader.description)),
            ("proxyProtocol", "\(proxyProtocol)"), ("keepAliveTimeoutSeconds", "\(keepAliveTimeoutSeconds)"),
            ("headerTimeoutSeconds", "\(headerTimeoutSeconds)"), ("bodyTimeoutSeconds", "\(bodyTimeoutSeconds)"),
            ("writeTimeoutSeconds", "\(writeTimeoutSeconds)"),
            ("maxRequestsPerConnection", "\(maxRequestsPerConnection)"), ("maxHeaderBytes", "\(maxHeaderBytes)"),
            ("maxURIBytes", "\(maxURIBytes)"), ("maxBodyBytes", "\(maxBodyBytes)"),
            ("maxConnections", "\(maxConnections)"), ("maxConnectionsPerClient", "\(maxConnectionsPerClient)"),
            ("drainDelaySeconds", "\(drainDelaySeconds)"), ("shutdownGraceSeconds", "\(shutdownGraceSeconds)"), ("accessLog", "\(accessLog)"),
            ("accessLogPath", show(accessLogPath)), ("logLevel", show(logLevel)),
        ]
        return "configuration ok\n" + lines.map { "  \($0.0): \($0.1)" }.joined(separator: "\n")
    }
}
