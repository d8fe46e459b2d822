import MiniHTTPCore

/// Gives every request an identifier, to follow it through logs and across services: the client's
/// `X-Request-ID` when it sends a valid one (1–64 characters, letters, digits and `-._~+/=:`), else a
/// fresh one (22 characters, 128 random bits, base64url). The handler reads it as
/// ``Request/requestID``; the response carries it back in `X-Request-ID`.
///
/// ```swift
/// router.add(middleware: RequestID())
/// router.get("/whoami") { request in request.requestID ?? "-" }
/// ```
///
/// Costs one or two allocations per request (the identifier and the response field): opt-in.
public struct RequestID: Middleware {
    /// Reads and writes `X-Request-ID`.
    public init() {}

    /// Sets ``Request/requestID``: the valid incoming identifier, or a fresh one.
    public func handle(_ request: inout Request) throws -> Response? {
        if let incoming = request.headers.valueBytes("x-request-id"), Self.isValid(incoming) {
            request.requestIDSlot = String(decoding: incoming, as: UTF8.self)
        } else {
            request.requestIDSlot = Self.generate()
        }
        return nil
    }

    /// Echoes the identifier in `X-Request-ID`.
    public func finish(_ response: inout Response, for request: Request) {
        guard let id = request.requestIDSlot else { return }
        response.addHeader("X-Request-ID", id)
    }

    static func isValid(_ bytes: ArraySlice<UInt8>) -> Bool {
        (1...64).contains(bytes.count) && bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"): true
            default: "-._~+/=:".utf8.contains(byte)
            }
        }
    }

    /// 128 random bits as 22 base64url characters.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var high = generator.next() as UInt64
        var low = generator.next() as UInt64
        var characters: [UInt8] = []
        characters.reserveCapacity(22)
        for _ in 0..<22 {  // 6 bits at a time from the 128; the last character uses the 2 left over
            characters.append(alphabet[Int(low & 0x3F)])
            low = (low >> 6) | (high << 58)
            high >>= 6
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

extension Request {
    /// The request's identifier, set by the ``RequestID`` middleware; nil without it.
    public var requestID: String? { requestIDSlot }
}
