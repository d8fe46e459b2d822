import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// `Cache-Control` values chosen by path prefix, then by extension (the `cacheControl` setting): the
/// longest matching prefix wins; without one, the file's extension decides; without that, none.
struct CacheControlRules: Sendable {
    private let prefixes: [(prefix: [UInt8], value: String)]
    private let extensions: [(ext: [UInt8], value: String)]

    init(_ rules: [String: String]) {
        prefixes = rules.filter { $0.key.hasPrefix("/") }.map { (Array($0.key.utf8), $0.value) }
            .sorted { $0.prefix.count > $1.prefix.count }
        extensions = rules.filter { $0.key.hasPrefix(".") }.map { (Array($0.key.utf8.dropFirst()).map(ASCII.lowercased), $0.value) }
    }

    var isEmpty: Bool { prefixes.isEmpty && extensions.isEmpty }

    /// The value for a URL path such as `/assets/app.js` (decoded, starting with `/`).
    func value(forPath path: [UInt8]) -> String? {
        for rule in prefixes where path.starts(with: rule.prefix) { return rule.value }
        guard let dot = path.lastIndex(of: ASCII.dot), !path[dot...].contains(ASCII.slash) else { return nil }
        let ext = path[(dot + 1)...].map(ASCII.lowercased)
        return extensions.first { $0.ext == ext }?.value
    }
}
