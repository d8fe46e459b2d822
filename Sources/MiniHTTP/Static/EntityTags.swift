import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Entity-tag lists as in If-Match and If-None-Match (RFC 9110 §8.8.3, §13.1): `*` or
/// `"tag", W/"tag", …`, compared strongly or weakly.
enum EntityTags {
    /// Whether the field value lists `etag` (ours: strong, with its quotes). Weak comparison ignores `W/`;
    /// strong comparison never matches a weak tag. `*` matches any current representation. A list that is
    /// not `#entity-tag` throughout (`"a"x`, `garbage, "a"`) matches nothing, wherever the garbage stands.
    static func list<Bytes: Collection<UInt8>>(_ value: Bytes, matches etag: [UInt8], weak: Bool) -> Bool
    where Bytes.Index == Int {
        var index = value.startIndex
        let end = value.endIndex
        var matched = false
        var expectsElement = true  // at the start, or just past a comma
        while index < end {
            let byte = value[index]
            if ASCII.isWhitespace(byte) {
                index += 1
                continue
            }
            if byte == ASCII.comma {
                expectsElement = true
                index += 1
                continue
            }
            guard expectsElement else { return false }  // two elements without a comma between them
            expectsElement = false
            if byte == ASCII.asterisk {
                matched = true
                index += 1
                continue
            }
            var isWeak = false
            if byte == 0x57, index + 1 < end, value[index + 1] == ASCII.slash {  // "W/"
                isWeak = true
                index += 2
            }
            guard index < end, value[index] == ASCII.quote else { return false }
            var close = index + 1
            while close < end, value[close] != ASCII.quote { close += 1 }
            guard close < end else { return false }
            if (weak || !isWeak), value[index...close].elementsEqual(etag) { matched = true }
            index = close + 1
        }
        return matched
    }

    /// Whether an If-Range value is a date rather than an entity-tag.
    static func isTag<Bytes: Collection<UInt8>>(_ value: Bytes) -> Bool {
        value.first == ASCII.quote || value.starts(with: [0x57, ASCII.slash])
    }
}
