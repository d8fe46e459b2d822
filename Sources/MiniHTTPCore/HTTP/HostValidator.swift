/// Checks a Host value or an absolute-form authority: `uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2).
/// An empty value is valid (a target without an authority, RFC 9112 §3.2); userinfo is not.
package enum HostValidator {
    package static func isValid(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return true }
        var index = range.lowerBound
        if bytes[index] == ASCII.leftBracket {
            // IP-literal: "[" hex digits, colons and dots "]".
            index += 1
            while index < range.upperBound, bytes[index] != ASCII.rightBracket {
                let byte = bytes[index]
                guard ASCII.hexValue(byte) != nil || byte == ASCII.colon || byte == ASCII.dot else { return false }
                index += 1
            }
            guard index < range.upperBound, index > range.lowerBound + 1 else { return false }
            index += 1
        } else {
            let hostStart = index
            while index < range.upperBound, bytes[index] != ASCII.colon {
                guard isRegisteredNameByte(bytes[index]) else { return false }
                index += 1
            }
            guard index > hostStart else { return false }
        }
        guard index < range.upperBound else { return true }
        // ":" port, where port is *DIGIT (at most 5).
        guard bytes[index] == ASCII.colon, range.upperBound - index - 1 <= 5 else { return false }
        for position in (index + 1)..<range.upperBound where !ASCII.isDigit(bytes[position]) { return false }
        return true
    }

    /// reg-name = *( unreserved / pct-encoded / sub-delims ), as a 256-entry table.
    @inline(__always)
    private static func isRegisteredNameByte(_ byte: UInt8) -> Bool {
        registeredNameTable.utf8Start[Int(byte)] != 0
    }

    private static let registeredNameTable: StaticString = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\u{1}\0\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\u{1}\0\u{1}\0\0\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\0\0\u{1}\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\0\u{1}\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
}
