import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// The configured error pages (`errorPages`): for a status, a file in the public folder sent in place of the
/// server's own plain-text body — nginx's `error_page 404 /404.html`. Only the server's answers get one
/// (`Response.isServerAnswer`): never a response a handler returned itself.
struct ErrorPages: Sendable {
    /// By status code, the path beneath the public folder; few enough that a scan beats a dictionary.
    private let pages: [(code: Int, relative: [UInt8])]

    /// `pages` maps a status code to a path in the public folder (`404` → `"/404.html"`); codes outside
    /// 400...599 and paths that cannot be served are left out (the configuration check refuses them).
    init(_ pages: [Int: String] = [:]) {
        self.pages = pages.sorted { $0.key < $1.key }.compactMap { code, path in
            guard (400...599).contains(code), case .relative(let relative, false) = SafePath.resolve(filePath: path),
                  !relative.isEmpty
            else { return nil }
            return (code, relative)
        }
    }

    var isEmpty: Bool { pages.isEmpty }

    /// The page for `status`, relative to the public folder.
    func page(for status: Status) -> [UInt8]? {
        for page in pages where page.code == status.code { return page.relative }
        return nil
    }

    /// An error page's fields: it is not to be sniffed, and not to be stored — the next request for the
    /// same URL may well succeed.
    static let fields = Array("X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n".utf8)
}
