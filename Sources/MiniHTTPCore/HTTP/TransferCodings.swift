/// Accumulates the codings of every Transfer-Encoding field of a request (RFC 9112 §6.1), so the verdict
/// can be given once the head is complete.
///
/// Each field value must be a list (RFC 9110 §5.6.1) of `transfer-coding = token *( OWS ";" OWS
/// transfer-parameter )`, `transfer-parameter = token BWS "=" BWS ( token / quoted-string )` (RFC 9112
/// §6.1, RFC 9110 §5.6.6). After a coding only OWS and then `;` or `,` may follow: `chunked gzip`,
/// `chunked=1`, `chunked/1` and `chunked;` are malformed, never read as chunked. `chunked` defines no
/// parameters, so `chunked;q=1` is refused too (400): the strict answer, as a coding with parameters it does
/// not define is not the coding a peer that ignores them would see.
package struct TransferCodings: Sendable {
    private var chunkedCount = 0
    private var lastIsChunked = false
    private var hasOther = false

    /// Adds the codings of one field value. Returns false when the value is not such a list (400).
    package mutating func add(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) -> Bool {
        var index = value.lowerBound
        var sawAny = false
        while true {
            // Empty list elements are allowed and ignored (RFC 9110 §5.6.1.2).
            while index < value.upperBound, Self.isListSeparator(bytes[index]) { index += 1 }
            guard index < value.upperBound else { return sawAny }
            let coding = Self.token(bytes, from: index, to: value.upperBound)
            guard !coding.isEmpty else { return false }
            index = coding.upperBound
            let isChunked = bytes.equalsIgnoringCase(coding, "chunked")
            var parameters = 0
            while true {
                index = Self.skipWhitespace(bytes, from: index, to: value.upperBound)
                guard index < value.upperBound, bytes[index] == ASCII.semicolon else { break }
                guard let end = Self.parameter(bytes, from: index + 1, to: value.upperBound) else { return false }
                index = end
                parameters += 1
            }
            // Only the end of the value or the next element may follow a coding.
            guard index == value.upperBound || bytes[index] == ASCII.comma else { return false }
            if isChunked {
                guard parameters == 0 else { return false }
                chunkedCount += 1
            } else {
                hasOther = true
            }
            lastIsChunked = isChunked
            sawAny = true
        }
    }

    /// nil when the body is simply chunked; otherwise why the request is refused. A final coding other than
    /// chunked leaves the length unknowable (400); chunked twice is invalid (400); any other coding is one
    /// minihttp does not implement (501).
    package var verdict: HTTPParseError? {
        if !lastIsChunked || chunkedCount > 1 { return .transferEncodingNotChunked }
        if hasOther { return .unsupportedTransferCoding }
        return nil
    }

    // MARK: Grammar pieces

    /// `OWS token BWS "=" BWS ( token / quoted-string )` from `start` (just after a `;`); returns where
    /// it ends, or nil when malformed.
    private static func parameter(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        let name = token(bytes, from: skipWhitespace(bytes, from: start, to: end), to: end)
        guard !name.isEmpty else { return nil }
        var index = skipWhitespace(bytes, from: name.upperBound, to: end)
        guard index < end, bytes[index] == ASCII.equals else { return nil }
        index = skipWhitespace(bytes, from: index + 1, to: end)
        guard index < end else { return nil }
        if bytes[index] == ASCII.quote { return quotedStringEnd(bytes, from: index + 1, to: end) }
        let value = token(bytes, from: index, to: end)
        return value.isEmpty ? nil : value.upperBound
    }

    /// The end of a quoted-string whose opening quote is just before `start` (RFC 9110 §5.6.4).
    private static func quotedStringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        var index = start
        while index < end {
            switch bytes[index] {
            case ASCII.quote: return index + 1
            case ASCII.backslash:
                guard index + 1 < end else { return nil }
                index += 2
            default:
                // The field value was already checked for control bytes; every other byte is qdtext.
                index += 1
            }
        }
        return nil
    }

    private static func token(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Range<Int> {
        var index = start
        while index < end, ASCII.isTokenByte(bytes[index]) { index += 1 }
        return start..<index
    }

    private static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int {
        var index = start
        while index < end, ASCII.isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    private static func isListSeparator(_ byte: UInt8) -> Bool {
        ASCII.isWhitespace(byte) || byte == ASCII.comma
    }
}
