import MiniHTTP

/// A way a response breaks HTTP/1.1's framing or the fields every response must carry.
public enum FramingFault: Sendable, Equatable, CustomStringConvertible {
    /// Both `Content-Length` and `Transfer-Encoding` (RFC 9112 §6.1: a server must not send both).
    case contentLengthWithTransferEncoding
    /// More than one `Content-Length` field, or a list in one.
    case repeatedContentLength
    /// A `Transfer-Encoding` other than `chunked` (this server's only coding).
    case transferEncodingNotChunked(String)
    /// A body in an HTTP/1.1 response to an HTTP/1.1 request without `Content-Length` or chunking.
    case noLengthOrChunking
    /// `Content-Length` or `Transfer-Encoding` on a 1xx or 204 (RFC 9110 §8.6, RFC 9112 §6.1).
    case framingFieldOnBodilessStatus(Int)
    /// Bytes after the end of the response: a body on HEAD, 204 or 304, or a length shorter than the body.
    case bytesAfterResponse(Int)
    /// No `Date`, more than one, or one that is not an IMF-fixdate (RFC 9110 §6.6.1, §5.6.7).
    case missingDate
    case repeatedDate
    case invalidDate(String)
    /// No `Server` field, or more than one.
    case missingServer
    case repeatedServer
    /// A field value with a control character other than tab.
    case controlCharacterInField(String)

    public var description: String {
        switch self {
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding"
        case .repeatedContentLength: "more than one Content-Length"
        case .transferEncodingNotChunked(let value): "Transfer-Encoding '\(value)' is not chunked"
        case .noLengthOrChunking: "a body with neither Content-Length nor chunked framing"
        case .framingFieldOnBodilessStatus(let code): "Content-Length or Transfer-Encoding on a \(code)"
        case .bytesAfterResponse(let count): "\(count) bytes after the end of the response"
        case .missingDate: "no Date"
        case .repeatedDate: "more than one Date"
        case .invalidDate(let value): "Date '\(value)' is not an IMF-fixdate"
        case .missingServer: "no Server"
        case .repeatedServer: "more than one Server"
        case .controlCharacterInField(let name): "a control character in the value of \(name)"
        }
    }
}

/// The faults ``TestResponse/validate()`` found, all of them.
public struct TestResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let faults: [FramingFault]
    /// The response's head, for the message.
    public let head: String

    public var description: String {
        "the response breaks its framing: " + faults.map(\.description).joined(separator: "; ") + "\n" + head
    }
}

extension TestResponse {
    /// Checks what every response of this server must get right on the wire: one of `Content-Length` or
    /// chunked framing for a body (never both, never a second length), no body and no chunking on HEAD,
    /// 204 and 304 (nor any byte after the end), exactly one valid IMF-fixdate `Date`, one `Server`, and
    /// field values free of control characters. Run by ``TestClient`` on every response unless
    /// `validatesResponses` is false.
    /// - Throws: ``TestResponseError`` listing every fault found.
    public func validate() throws(TestResponseError) {
        let faults = framingFaults()
        guard faults.isEmpty else {
            let headEnd = wire.count - (framing == .none ? 0 : body.count)
            throw TestResponseError(faults: faults, head: String(decoding: wire.prefix(max(0, min(headEnd, 2048))), as: UTF8.self))
        }
    }

    /// Every fault, in the order of the checks.
    public func framingFaults() -> [FramingFault] {
        var faults: [FramingFault] = []
        let lengths = headers.values("Content-Length")
        let codings = headers.values("Transfer-Encoding")
        let code = status.code
        if !lengths.isEmpty, !codings.isEmpty { faults.append(.contentLengthWithTransferEncoding) }
        if lengths.count > 1 || lengths.contains(where: { $0.contains(",") }) { faults.append(.repeatedContentLength) }
        let coding = codings.joined(separator: ",")
        if !codings.isEmpty, coding.split(separator: ",").map({ $0.trimmingSpaces.lowercased() }) != ["chunked"] {
            faults.append(.transferEncodingNotChunked(coding))
        }
        if (code >= 100 && code < 200) || code == 204, !lengths.isEmpty || !codings.isEmpty {
            // On HEAD and 304 both may say what a GET would have had (RFC 9112 §6.1, §6.2).
            faults.append(.framingFieldOnBodilessStatus(code))
        }
        if framing == .closeDelimited, requestVersion == .http1_1, version == "HTTP/1.1" { faults.append(.noLengthOrChunking) }
        if !unexpectedBytes.isEmpty { faults.append(.bytesAfterResponse(unexpectedBytes.count)) }
        let dates = headers.values("Date")
        if dates.isEmpty { faults.append(.missingDate) }
        if dates.count > 1 { faults.append(.repeatedDate) }
        if let date = dates.first, !Self.isIMFFixdate(date) { faults.append(.invalidDate(date)) }
        let servers = headers.count(of: "Server")
        if servers == 0 { faults.append(.missingServer) }
        if servers > 1 { faults.append(.repeatedServer) }
        for field in headers where field.value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
            faults.append(.controlCharacterInField(field.name))
        }
        return faults
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` and nothing else: it parses as an HTTP date and formats back to itself.
    static func isIMFFixdate(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard let seconds = HTTPDate.parse(bytes) else { return false }
        return HTTPDate.format(seconds) == bytes
    }
}
