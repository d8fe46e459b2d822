import MiniHTTPCore
import MiniHTTPPosix
/// A route's path pattern, split into segments: `/users/:id/files/*`.
package struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    package enum Segment: Sendable, Equatable {
        /// Must equal the request's segment byte for byte.
        case literal([UInt8])
        /// Matches any one non-empty segment, captured under this name.
        case parameter(String)
        /// Matches the rest of the path (zero or more segments); only last.
        case wildcard
    }

    package let segments: [Segment]
    package let description: String

    /// Parses a pattern. Returns nil for a pattern that does not begin with `/`, has an empty parameter
    /// name, or a `*` that is not the last segment.
    package init?(_ pattern: String) {
        guard pattern.hasPrefix("/") else { return nil }
        var segments: [Segment] = []
        let parts = pattern.utf8.dropFirst().split(separator: ASCII.slash, omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            if part.first == ASCII.colon {
                guard part.count > 1 else { return nil }
                segments.append(.parameter(String(decoding: part.dropFirst(), as: UTF8.self)))
            } else if part.elementsEqual("*".utf8) {
                guard index == parts.count - 1 else { return nil }
                segments.append(.wildcard)
            } else {
                segments.append(.literal(Array(part)))
            }
        }
        self.segments = segments
        self.description = pattern
    }

    /// A pattern from its segments (a group's prefix joined with a route's pattern).
    package init(segments: [Segment]) {
        self.segments = segments
        self.description = "/" + segments.map { segment in
            switch segment {
            case .literal(let bytes): String(decoding: bytes, as: UTF8.self)
            case .parameter(let name): ":" + name
            case .wildcard: "*"
            }
        }.joined(separator: "/")
    }
}
