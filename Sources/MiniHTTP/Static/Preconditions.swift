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
        if let ifMatch = headers.valueBytes("if-match") {
            if !EntityTags.list(ifMatch, matches: etag, weak: false) { return .failed }
        } else if let since = headers.valueBytes("if-unmodified-since"), let date = HTTPDate.parse(since) {
            if modifiedSeconds > date { return .failed }
        }
        let isRead = method == .get || method == .head
        if let ifNoneMatch = headers.valueBytes("if-none-match") {
            if EntityTags.list(ifNoneMatch, matches: etag, weak: true) { return isRead ? .notModified : .failed }
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
