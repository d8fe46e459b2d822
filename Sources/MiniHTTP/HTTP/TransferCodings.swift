/// Accumulates the codings of every Transfer-Encoding field of a request (RFC 9112 §6.1), so the verdict
/// can be given once the head is complete.
struct TransferCodings: Sendable {
    private var count = 0
    private var chunkedCount = 0
    private var lastIsChunked = false
    private var hasOther = false

    /// Adds the comma-separated codings of one field value. Returns false when the list is not a list of
    /// tokens (optionally with parameters).
    mutating func add(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) -> Bool {
        var index = value.lowerBound
        var sawAny = false
        while index < value.upperBound {
            while index < value.upperBound, bytes[index] == ASCII.space || bytes[index] == ASCII.tab
                || bytes[index] == ASCII.comma { index += 1 }
            guard index < value.upperBound else { break }
            let start = index
            while index < value.upperBound, ASCII.isTokenByte(bytes[index]) { index += 1 }
            guard index > start else { return false }
            let coding = start..<index
            // Skip transfer parameters ("; name=value") up to the next comma.
            while index < value.upperBound, bytes[index] != ASCII.comma { index += 1 }
            count += 1
            sawAny = true
            if bytes.equalsIgnoringCase(coding, "chunked") {
                chunkedCount += 1
                lastIsChunked = true
            } else {
                hasOther = true
                lastIsChunked = false
            }
        }
        return sawAny
    }

    /// nil when the body is simply chunked; otherwise why the request is refused. A final coding other than
    /// chunked leaves the length unknowable (400); chunked twice is invalid (400); any other coding is one
    /// minihttp does not implement (501).
    var verdict: HTTPParseError? {
        if !lastIsChunked || chunkedCount > 1 { return .transferEncodingNotChunked }
        if hasOther { return .unsupportedTransferCoding }
        return nil
    }
}
