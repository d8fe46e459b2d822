import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Evaluates conditional request fields against a representation's validators, in the order RFC 9110
/// §13.2.2 prescribes: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since.
enum Preconditions {
    enum Verdict: Equatable {
        case proceed
        /// 304 Not Modified (GET and HEAD).
        case notModified
        /// 412 Precondition Failed.
        case failed
    }

    static func evaluate(_ headers: Headers, method: HTTPMethod, etag: [UInt8], modifiedSeconds: Int) -> Verdict {
        // Both lists may be split over several field lines: every line counts.
        if let matched = headers.anyValue("if-match", where: { EntityTags.list($0, matches: etag, weak: false) }) {
            if !matched { return .failed }
        } else if let since = headers.valueBytes("if-unmodified-since"), let date = HTTPDate.parse(since) {
            if modifiedSeconds > date { return .failed }
        }
        let isRead = method == .get || method == .head
        if let matched = headers.anyValue("if-none-match", where: { EntityTags.list($0, matches: etag, weak: true) }) {
            if matched { return isRead ? .notModified : .failed }
        } else if isRead, let since = headers.valueBytes("if-modified-since"), let date = HTTPDate.parse(since) {
            if modifiedSeconds <= date { return .notModified }
        }
        return .proceed
    }

    /// If-Range (RFC 9110 §13.1.5): the Range applies only if the validator still matches — an entity-tag
    /// by strong comparison, or a date exactly equal to Last-Modified.
    static func rangeStillApplies(_ headers: Headers, etag: [UInt8], lastModified: [UInt8]) -> Bool {
        guard let ifRange = headers.valueBytes("if-range") else { return true }
        if EntityTags.isTag(ifRange) { return EntityTags.list(ifRange, matches: etag, weak: false) }
        return ifRange.elementsEqual(lastModified)
    }
}
