import Glibc

/// Named bytes and byte classes from RFC 9110 §5.6.2 and RFC 9112, for parsing without `String`.
@usableFromInline  // its constants inline as literals in the other modules (no addressor call per use)
package enum ASCII {
    @inlinable package static var tab: UInt8 { 0x09 }
    @inlinable package static var lineFeed: UInt8 { 0x0A }
    @inlinable package static var carriageReturn: UInt8 { 0x0D }
    @inlinable package static var space: UInt8 { 0x20 }
    @inlinable package static var quote: UInt8 { 0x22 }
    @inlinable package static var hash: UInt8 { 0x23 }
    @inlinable package static var percent: UInt8 { 0x25 }
    @inlinable package static var comma: UInt8 { 0x2C }
    @inlinable package static var dot: UInt8 { 0x2E }
    @inlinable package static var slash: UInt8 { 0x2F }
    @inlinable package static var zero: UInt8 { 0x30 }
    @inlinable package static var nine: UInt8 { 0x39 }
    @inlinable package static var colon: UInt8 { 0x3A }
    @inlinable package static var semicolon: UInt8 { 0x3B }
    @inlinable package static var equals: UInt8 { 0x3D }
    @inlinable package static var questionMark: UInt8 { 0x3F }
    @inlinable package static var leftBracket: UInt8 { 0x5B }
    @inlinable package static var backslash: UInt8 { 0x5C }
    @inlinable package static var rightBracket: UInt8 { 0x5D }
    @inlinable package static var asterisk: UInt8 { 0x2A }
    @inlinable package static var plus: UInt8 { 0x2B }
    @inlinable package static var ampersand: UInt8 { 0x26 }

    /// tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    @inline(__always)
    package static func isTokenByte(_ byte: UInt8) -> Bool {
        tokenTable.utf8Start[Int(byte)] != 0
    }

    /// One byte per value, 1 for a tchar: a lookup instead of a chain of comparisons. A static string, so
    /// it needs no initialisation and costs no allocation.
    private static let tokenTable: StaticString = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\u{1}\0\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\u{1}\u{1}\0\u{1}\u{1}\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\0\0\0\0\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\0\0\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}\0\u{1}\0\u{1}\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"

    // Eight bytes at a time (SWAR). Each mask has the high bit set in every byte lane that matches; borrows
    // only run upwards, so the lowest flagged lane — the first byte, little-endian — is always exact.
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Lanes holding a byte below 0x20 (obs-text, 0x80 and up, is not flagged: `& ~word` drops it).
    @inline(__always)
    private static func controlLanes(_ word: UInt64) -> UInt64 { (word &- ones &* 0x20) & ~word & highs }

    /// Lanes holding exactly `byte` (below 0x80).
    @inline(__always)
    private static func lanes(_ word: UInt64, equalTo byte: UInt8) -> UInt64 {
        let difference = word ^ (ones &* UInt64(byte))
        return (difference &- ones) & ~difference & highs
    }

    /// The index of the first byte at or after `start` that `matches` (which `flagged` marks in a word),
    /// or nil if none before the end.
    @inline(__always)
    private static func firstIndex(
        _ bytes: UnsafeRawBufferPointer, from start: Int, flagged: (UInt64) -> UInt64, matches: (UInt8) -> Bool
    ) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var index = start
        while index + 8 <= bytes.count {
            let found = flagged(base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < bytes.count {
            if matches(bytes[index]) { return index }
            index += 1
        }
        return nil
    }

    /// Whether every byte of `bytes[range]` may appear in a field value (``isFieldValueByte``), eight bytes
    /// at a time: a word is checked byte by byte only if it has a byte below 0x20 or equal to 0x7F.
    @inline(__always)
    package static func isFieldValue(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard let base = bytes.baseAddress else { return range.isEmpty }
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let word = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if controlLanes(word) | lanes(word, equalTo: 0x7F) != 0 {
                for offset in 0..<8 where !isFieldValueByte(bytes[index + offset]) { return false }
            }
            index += 8
        }
        while index < range.upperBound {
            if !isFieldValueByte(bytes[index]) { return false }
            index += 1
        }
        return true
    }

    /// The index of the first control byte (below 0x20, HTAB included) or DEL at or after `start`; nil if
    /// there is none before the end. In a field line the first one is normally the CR that ends it, so one
    /// pass both finds the line's end and checks its value.
    @inline(__always)
    package static func firstControl(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        firstIndex(bytes, from: start, flagged: { controlLanes($0) | lanes($0, equalTo: 0x7F) },
                   matches: { $0 < 0x20 || $0 == 0x7F })
    }

    /// The index of the first `:` or control byte at or after `start`; nil if none before the end. In a
    /// field line it is normally the colon that ends the name.
    @inline(__always)
    package static func firstColonOrControl(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        firstIndex(bytes, from: start, flagged: { controlLanes($0) | lanes($0, equalTo: colon) },
                   matches: { $0 < 0x20 || $0 == colon })
    }

    /// Whether every byte of `bytes[range]` is a token byte: one table lookup per byte, no branch.
    @inline(__always)
    package static func isToken(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        let table = tokenTable.utf8Start
        var all: UInt8 = 1
        for index in range { all &= table[Int(bytes[index])] }
        return all != 0
    }

    /// field-vchar / SP / HTAB: VCHAR, obs-text (0x80–0xFF), space and tab. Excludes NUL, CR, LF and other
    /// controls, which RFC 9110 §5.5 forbids in a field value.
    @inline(__always)
    package static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == tab
    }

    /// A request-target byte: visible US-ASCII except `#` (no fragment is sent in a request, RFC 9112 §3.2).
    @inline(__always)
    package static func isTargetByte(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && byte != hash
    }

    @inline(__always)
    package static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    @inline(__always)
    package static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }

    @inline(__always)
    package static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }
}

extension UnsafeRawBufferPointer {
    /// Whether `self[range]` equals `lowercaseName`, ignoring ASCII case. `lowercaseName` must be lowercase.
    @inline(__always)
    package func equalsIgnoringCase(_ range: Range<Int>, _ lowercaseName: StaticString) -> Bool {
        ASCII.equalsIgnoringCase(self, range, lowercaseName)
    }

    /// The index of the first `byte` in `range`, found with `memchr`.
    @inline(__always)
    package func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        guard !range.isEmpty, let base = baseAddress else { return nil }
        guard let found = memchr(base + range.lowerBound, Int32(byte), range.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }
}
