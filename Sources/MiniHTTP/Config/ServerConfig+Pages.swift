import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

extension ServerConfig {
    /// `spaFallback` and `errorPages` name files in the public folder: there must be one, and each path a
    /// file path that the folder could serve (no `..` above it, no dot-file).
    func checkPages() throws(ConfigProblem) {
        if let spaFallback {
            if let problem = Self.pageProblem(spaFallback) { throw ConfigProblem(key: "spaFallback", reason: problem) }
            if publicDirectory == nil { throw ConfigProblem(key: "spaFallback", reason: "needs a public folder ('public')") }
        }
        for (code, path) in errorPages.sorted(by: { $0.key < $1.key }) {
            let key = "errorPages.\(code)"
            guard (400...599).contains(code) else { throw ConfigProblem(key: key, reason: "must be a status code from 400 to 599") }
            if let problem = Self.pageProblem(path) { throw ConfigProblem(key: key, reason: problem) }
            if publicDirectory == nil { throw ConfigProblem(key: key, reason: "needs a public folder ('public')") }
        }
    }

    /// Why `path` cannot name a page in the public folder, or nil.
    static func pageProblem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "must be a path in the public folder, starting with '/'" }
        guard case .relative(let relative, false) = SafePath.resolve(filePath: path), !relative.isEmpty else {
            return "must name a file in the public folder (no '..' above it, no dot-file, no trailing '/')"
        }
        return nil
    }
}
