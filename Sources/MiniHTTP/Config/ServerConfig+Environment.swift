import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

extension ServerConfig {
    /// Checks what only the machine can answer, as `minihttp --check` does before it says "ok": the host
    /// resolves to an address, and the access log file can be opened for appending (nothing is created).
    /// - Throws: ``ConfigError`` naming `file` and the key.
    public func checkEnvironment(file: String) throws(ConfigError) {
        if !Self.resolves(host) {
            throw ConfigError(file: file, key: "host", reason: "'\(host)' does not resolve to an address")
        }
        if accessLog, let accessLogPath, let problem = Self.appendProblem(accessLogPath) {
            throw ConfigError(file: file, key: "accessLogPath", reason: "cannot open '\(accessLogPath)' for appending (\(problem))")
        }
    }

    /// A path for `statusPath` or `metricsPath` is a literal path: route syntax (`/:name`, `*`) would
    /// answer other paths with the endpoint. Nil when it is fine, else why not.
    static func literalPathProblem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "must start with '/'" }
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") })
        else { return "must be a path without spaces, control characters, '?' or '#'" }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.contains(where: { $0.hasPrefix(":") || $0 == "*" }) {
            return "must be a literal path, not a route pattern (no ':name' or '*' segments)"
        }
        return nil
    }

    private static func resolves(_ host: String) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, "0", &hints, &list) == 0, list != nil else { return false }
        freeaddrinfo(list)
        return true
    }

    /// Why `path` cannot be opened for appending, or nil: an existing file must be writable; a new one
    /// needs a writable folder.
    private static func appendProblem(_ path: String) -> String? {
        var info = stat()
        if stat(path, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return "it is a directory" }
            return access(path, W_OK) == 0 ? nil : String(cString: strerror(errno))
        }
        guard errno == ENOENT else { return String(cString: strerror(errno)) }
        let folder = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) : "."
        let directory = folder.isEmpty ? "/" : folder
        guard stat(directory, &info) == 0 else { return "its folder '\(directory)': \(String(cString: strerror(errno)))" }
        return access(directory, W_OK | X_OK) == 0 ? nil : "its folder '\(directory)': \(String(cString: strerror(errno)))"
    }
}
