/// Trimming and case-insensitive comparison of header bytes, in place: the one home of both, for every
/// layer that reads field values (the parser, `Forwarded`, `Accept-Encoding`, `Range`, a handler's fields).
///
/// Other modules call the concrete forms (on `UnsafeRawBufferPointer` and `String`): a generic function
/// called across the module boundary is not specialised for its caller's type, and its unspecialised form
/// allocated on every call (measured: 36 allocations per gzip-negotiated request).
extension ASCII {
    /// Optional whitespace, OWS (RFC 9110 §5.6.3): a space or a horizontal tab.
    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// `range` without the optional whitespace at either end.
    package static func trimmingWhitespace<Bytes: Collection<UInt8>>(_ bytes: Bytes, _ range: Range<Int>) -> Range<Int>
    where Bytes.Index == Int {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Whether `bytes[range]` equals `lowercase` ignoring ASCII case. `lowercase` must be lowercase.
    package static func equalsIgnoringCase<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, _ range: Range<Int>, _ lowercase: StaticString
    ) -> Bool where Bytes.Index == Int {
        guard range.count == lowercase.utf8CodeUnitCount else { return false }
        let name = lowercase.utf8Start
        var index = 0
        for position in range {
            if lowercased(bytes[position]) != name[index] { return false }
            index += 1
        }
        return true
    }

    /// Whether `bytes` (all of them) equal `lowercase` ignoring ASCII case. `lowercase` must be lowercase.
    package static func equalsIgnoringCase<Bytes: Sequence<UInt8>>(_ bytes: Bytes, _ lowercase: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        return bytes.elementsEqual(expected) { lowercased($0) == $1 }
    }

    /// Whether two byte sequences are equal ignoring ASCII case (a field name against a caller's name).
    package static func equalsIgnoringCase<A: Sequence<UInt8>, B: Sequence<UInt8>>(_ a: A, _ b: B) -> Bool {
        a.elementsEqual(b) { lowercased($0) == lowercased($1) }
    }
}

extension ASCII {
    /// Whether `text` equals `lowercase` ignoring ASCII case. `lowercase` must be lowercase.
    package static func equalsIgnoringCase(_ text: String, _ lowercase: StaticString) -> Bool {
        text.utf8.count == lowercase.utf8CodeUnitCount && equalsIgnoringCase(text.utf8, lowercase)
    }
}

extension UnsafeRawBufferPointer {
    /// `range` without the optional whitespace at either end.
    package func trimmingWhitespace(_ range: Range<Int>) -> Range<Int> {
        ASCII.trimmingWhitespace(self, range)
    }
}
