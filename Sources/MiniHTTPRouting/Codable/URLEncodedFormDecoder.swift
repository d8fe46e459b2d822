#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MiniHTTPCore

/// Decodes a `Decodable` value from an `application/x-www-form-urlencoded` body or a query string.
///
/// ```swift
/// struct Signup: Decodable { var email: String; var age: Int?; var tags: [String]; var address: Address }
/// let signup = try URLEncodedFormDecoder().decode(Signup.self,
///     from: "email=a%40b.org&tags[]=x&tags[]=y&address[city]=Oslo")
/// ```
///
/// Keys: `a=1`; nested `a[b]=1`; lists `a[]=1&a[]=2`, `a=1&a=2` (as a `<select multiple>` sends them) or
/// `a[0]=1&a[1]=2` (in any order, without gaps); lists of objects `a[0][name]=x`. A missing key decodes as
/// nil for an `Optional` and as an empty list for an array; for anything else it is `keyNotFound`.
/// Values: `String`; `Bool` from `true`/`false`/`on`/`off`/`1`/`0` (any case); every integer width, with a
/// `dataCorrupted` error when the number does not fit; finite `Double`/`Float`/`Decimal` in decimal
/// notation; `Date` by ``dateDecodingStrategy``. An empty value (`age=`) is an empty string, not nil.
///
/// Errors are `DecodingError`s whose coding path names the field (`typeMismatch`, `dataCorrupted`,
/// `keyNotFound`); ``DecodingError/clientMessage`` turns them into a line for a 400 answer.
///
/// Limits, so hostile input costs little: at most ``maxFields`` pairs (default 1000) and keys at most
/// ``maxDepth`` components deep (default 32); beyond either, decoding fails at once. The input's size is
/// the body limit's business.
public struct URLEncodedFormDecoder: Sendable {
    /// How a `Date` is read from a form value.
    public enum DateDecodingStrategy: Sendable {
        /// ISO 8601: `2024-05-01T12:30:00Z`, with or without fractional seconds, or a date alone
        /// (`2024-05-01`, what `<input type="date">` sends) as midnight UTC. The default.
        case iso8601
        /// A number of seconds since 1970-01-01T00:00:00Z.
        case secondsSince1970
        /// A number of milliseconds since 1970-01-01T00:00:00Z.
        case millisecondsSince1970
        /// `Date`'s own `Decodable` conformance (seconds since 2001-01-01T00:00:00Z).
        case deferredToDate
        /// Your closure, given a decoder whose single value container holds the field.
        case custom(@Sendable (any Decoder) throws -> Date)
    }

    /// The default for ``maxFields``.
    public static let defaultMaxFields = 1000
    /// The default for ``maxDepth``.
    public static let defaultMaxDepth = 32

    /// How dates are read; ``DateDecodingStrategy/iso8601`` unless you choose another.
    public var dateDecodingStrategy: DateDecodingStrategy
    /// The most `name=value` pairs a form may hold; one more fails the whole decode.
    public var maxFields: Int
    /// The most components a key may have (`a[b][c]` has 3); a deeper key fails the whole decode.
    public var maxDepth: Int
    /// Values handed to the decoded types' `init(from:)` as `decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// A decoder with the given strategy and limits.
    /// - Parameters:
    ///   - dateDecodingStrategy: How dates are read.
    ///   - maxFields: The most pairs a form may hold (at least 1).
    ///   - maxDepth: The most components a key may have (at least 1).
    ///   - userInfo: Values for the decoded types' `init(from:)`.
    public init(
        dateDecodingStrategy: DateDecodingStrategy = .iso8601,
        maxFields: Int = URLEncodedFormDecoder.defaultMaxFields,
        maxDepth: Int = URLEncodedFormDecoder.defaultMaxDepth,
        userInfo: [CodingUserInfoKey: any Sendable] = [:]
    ) {
        self.dateDecodingStrategy = dateDecodingStrategy
        self.maxFields = max(1, maxFields)
        self.maxDepth = max(1, maxDepth)
        self.userInfo = userInfo
    }

    /// Decodes `type` from a form body's bytes, or a query string's without the `?`.
    /// - Throws: `DecodingError` naming the field that failed.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from form: some Collection<UInt8>) throws -> T {
        let root = try URLEncodedFormParser(maxFields: maxFields, maxDepth: maxDepth).parse(form)
        return try URLEncodedFormValueDecoder(node: root, codingPath: [], options: self).decodeValue(T.self)
    }

    /// Decodes `type` from a form in a string, such as a query string without the `?`.
    /// - Throws: `DecodingError` naming the field that failed.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from form: String) throws -> T {
        try decode(type, from: form.utf8)
    }
}
