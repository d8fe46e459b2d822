#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a router or group turns values into JSON and back: for handlers that return an `Encodable`
/// value. Set on the router (``Router/json``) or on a group (``RouteGroup/json``); no global state.
///
/// ```swift
/// let encoder = JSONEncoder()
/// encoder.dateEncodingStrategy = .secondsSince1970
/// router.json = JSONCoding(encoder: encoder, decoder: JSONDecoder())
/// ```
public struct JSONCoding: Sendable {
    /// The encoder. Shared by every request of its routes: do not change it once it is handed over.
    public let encoder: JSONEncoder
    /// The decoder. Shared by every request of its routes: do not change it once it is handed over.
    public let decoder: JSONDecoder

    /// ISO 8601 dates (`2026-11-28T00:40:00Z`) both ways, slashes unescaped, no pretty-printing.
    public static let `default`: JSONCoding = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return JSONCoding(encoder: encoder, decoder: decoder)
    }()

    /// Uses `encoder` and `decoder`, which nobody else may change afterwards (they encode and decode
    /// concurrently, from every worker).
    public init(encoder: JSONEncoder, decoder: JSONDecoder) {
        self.encoder = encoder
        self.decoder = decoder
    }

    /// `value` as JSON bytes.
    public func encode(_ value: some Encodable) throws -> [UInt8] {
        Array(try encoder.encode(value))
    }

    /// A `T` decoded from JSON `bytes`.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws -> T {
        try decoder.decode(type, from: Data(bytes))
    }
}
