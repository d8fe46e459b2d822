import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// A configuration that cannot be used: which file, which key, and why — one line, for a person.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    /// Where the value came from: the file, `environment`, `command line` (a flag) or `defaults`.
    public let file: String
    /// The key path such as `port` or `gzip.level`, the variable (`MINIHTTP_WORKERS`) or the flag
    /// (`--public`); nil when the problem is the file as a whole.
    public let key: String?
    public let reason: String

    public init(file: String, key: String?, reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    public var description: String {
        if let key { return "\(file): \(key): \(reason)" }
        return "\(file): \(reason)"
    }
}
