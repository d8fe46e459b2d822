import MiniHTTPCore
import MiniHTTPPosix
/// The values a route pattern captured: `:name` segments and the `*` remainder, percent-decoded on access.
public struct Parameters: Sendable {
    package var names: [String] = []
    package var values: [Range<Int>] = []
    package var bytes: [UInt8] = []

    /// The value captured for `:name` (or `*` for the wildcard's remainder), percent-decoded; nil if the
    /// route has no such parameter.
    public subscript(name: String) -> String? {
        guard let index = names.firstIndex(of: name), index < values.count else { return nil }
        let range = values[index]
        return PercentDecoding.decodedString(bytes, range) ?? String(decoding: bytes[range], as: UTF8.self)
    }

    /// The value of `:name` converted to an integer, nil if absent or not a number.
    public func int(_ name: String) -> Int? {
        self[name].flatMap { Int($0) }
    }

    /// The number of captured values.
    public var count: Int { values.count }
}
