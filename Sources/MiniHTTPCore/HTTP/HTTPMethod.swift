/// The request methods of RFC 9110 §9 and RFC 5789 (PATCH). A request with any other method is answered
/// 501 Not Implemented before it reaches a route.
public enum HTTPMethod: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case get, head, post, put, delete, connect, options, trace, patch

    /// The method's name as it appears on the request line, such as `GET`.
    public var description: String { name.description }

    private var name: StaticString {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .connect: "CONNECT"
        case .options: "OPTIONS"
        case .trace: "TRACE"
        case .patch: "PATCH"
        }
    }

    /// Recognises a method token by its length, then its bytes (methods are case-sensitive, RFC 9110 §9.1).
    package static func parse(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> HTTPMethod? {
        let start = range.lowerBound
        @inline(__always) func matches(_ name: StaticString) -> Bool {
            let pointer = name.utf8Start
            for index in 0..<name.utf8CodeUnitCount where bytes[start + index] != pointer[index] { return false }
            return true
        }
        switch range.count {
        case 3:
            if matches("GET") { return .get }
            if matches("PUT") { return .put }
        case 4:
            if matches("HEAD") { return .head }
            if matches("POST") { return .post }
        case 5:
            if matches("PATCH") { return .patch }
            if matches("TRACE") { return .trace }
        case 6:
            if matches("DELETE") { return .delete }
        case 7:
            if matches("OPTIONS") { return .options }
            if matches("CONNECT") { return .connect }
        default: break
        }
        return nil
    }
}

/// The protocol versions minihttp speaks. HTTP/1.x with a minor version above 1 is treated as 1.1
/// (RFC 9110 §2.5); any other major version is answered 505.
public enum HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    case http1_0
    case http1_1

    public var description: String { self == .http1_0 ? "HTTP/1.0" : "HTTP/1.1" }
}
