#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MiniHTTPCore

/// Why a form value is not the scalar asked for.
enum URLEncodedFormScalarFailure: Error {
    /// Not this kind of value at all (`abc` for an `Int`).
    case wrongType
    /// The right kind, but it does not fit (`300` for a `UInt8`, `1e999` for a `Double`).
    case outOfRange
}

/// A type read straight from one form value's text.
protocol URLEncodedFormScalar {
    init(formText text: String) throws(URLEncodedFormScalarFailure)
}

extension String: URLEncodedFormScalar {
    init(formText text: String) { self = text }
}

extension Bool: URLEncodedFormScalar {
    /// `true`/`on`/`1` and `false`/`off`/`0`, any case: what checkboxes and hand-written query strings send.
    init(formText text: String) throws(URLEncodedFormScalarFailure) {
        switch text.lowercased() {
        case "true", "on", "1": self = true
        case "false", "off", "0": self = false
        default: throw .wrongType
        }
    }
}

extension URLEncodedFormScalar where Self: FixedWidthInteger {
    /// An optional sign and decimal digits; digits that do not fit are `outOfRange`, not `wrongType`.
    init(formText text: String) throws(URLEncodedFormScalarFailure) {
        let digits = text.utf8.first == 0x2B || text.utf8.first == 0x2D ? text.utf8.dropFirst() : text.utf8[...]
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw .wrongType }
        guard let value = Self(text, radix: 10) else { throw .outOfRange }
        self = value
    }
}

extension Int: URLEncodedFormScalar {}
extension Int8: URLEncodedFormScalar {}
extension Int16: URLEncodedFormScalar {}
extension Int32: URLEncodedFormScalar {}
extension Int64: URLEncodedFormScalar {}
extension UInt: URLEncodedFormScalar {}
extension UInt8: URLEncodedFormScalar {}
extension UInt16: URLEncodedFormScalar {}
extension UInt32: URLEncodedFormScalar {}
extension UInt64: URLEncodedFormScalar {}

/// Whether `text` is a number in decimal notation (`-1.5e3`): `Double("nan")`, `"inf"` and hex floats
/// such as `0x1p3` are not numbers a form should carry.
func isDecimalNumberText(_ text: String) -> Bool {
    let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
    // digits, sign, point, e or E
    return text.utf8.contains(where: isDigit)
        && text.utf8.allSatisfy { isDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 | 0x20 == 0x65 }
}

extension URLEncodedFormScalar where Self: BinaryFloatingPoint & LosslessStringConvertible {
    /// A finite number in decimal notation; one too large for the type (`1e39` for a `Float`) is `outOfRange`.
    init(formText text: String) throws(URLEncodedFormScalarFailure) {
        guard isDecimalNumberText(text), let value = Self(text) else { throw .wrongType }
        guard value.isFinite else { throw .outOfRange }
        self = value
    }
}

extension Double: URLEncodedFormScalar {}
extension Float: URLEncodedFormScalar {}

extension Decimal: URLEncodedFormScalar {
    /// A number in decimal notation, read exactly (not through `Double`).
    init(formText text: String) throws(URLEncodedFormScalarFailure) {
        // Double's parser checks the whole text (Decimal's may stop early at "1.2.3"); Decimal reads it exactly.
        guard isDecimalNumberText(text), Double(text) != nil, let value = Decimal(string: text), !value.isNaN
        else { throw .wrongType }
        self = value
    }
}
