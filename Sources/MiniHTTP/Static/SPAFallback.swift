import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// When a path the public folder does not have is a single-page app's route, answered with the app's page
/// (`spaFallback`) rather than 404 — nginx's `try_files $uri /index.html`, narrowed so that a missing asset
/// or an API client still gets its 404: a GET or HEAD, a last segment without an extension (`/app/settings`,
/// not `/js/missing.js`), and an `Accept` that is absent or admits `text/html`.
enum SPAFallback {
    static func applies<Path: BidirectionalCollection<UInt8>>(to request: Request, rawPath: Path) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        let lastSegment = rawPath.reversed().drop { $0 == ASCII.slash }.prefix { $0 != ASCII.slash }
        guard !lastSegment.contains(ASCII.dot) else { return false }
        // nil: no Accept field, which admits anything (RFC 9110 §12.5.1).
        return request.headers.anyValue("accept", where: admitsHTML) ?? true
    }

    /// Whether an `Accept` value (RFC 9110 §12.5.1) lists `text/html`, `text/*` or `*/*` with a weight
    /// above 0.
    static func admitsHTML<Value: Collection<UInt8>>(_ value: Value) -> Bool {
        value.split(separator: ASCII.comma).contains { element in
            let parts = element.split(separator: ASCII.semicolon)
            guard let range = parts.first else { return false }
            let bytes = Array(range)
            let type = bytes[ASCII.trimmingWhitespace(bytes, bytes.indices)]
            guard ASCII.equalsIgnoringCase(type, "text/html") || ASCII.equalsIgnoringCase(type, "text/*")
                || ASCII.equalsIgnoringCase(type, "*/*")
            else { return false }
            return !parts.dropFirst().contains { isZeroWeight(Array($0)) }
        }
    }

    /// `q=0`, `q=0.0`, `q=0.000` (spaces around allowed).
    private static func isZeroWeight(_ parameter: [UInt8]) -> Bool {
        let trimmed = Array(parameter[ASCII.trimmingWhitespace(parameter, parameter.indices)])
        guard trimmed.count >= 3, trimmed[0] | 0x20 == UInt8(ascii: "q"), trimmed[1] == ASCII.equals else { return false }
        return trimmed[2...].allSatisfy { $0 == UInt8(ascii: "0") || $0 == ASCII.dot }
    }
}
