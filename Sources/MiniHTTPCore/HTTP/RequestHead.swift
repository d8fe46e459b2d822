/// A header field as two byte ranges into the request's bytes.
@usableFromInline
package struct HeaderField: Sendable, Equatable {
    package var name: Range<Int>
    package var value: Range<Int>
}

/// How the body of a request is delimited (RFC 9112 §6.3).
@usableFromInline
package enum BodyFraming: Sendable, Equatable {
    case none
    case length(Int)
    case chunked
}

/// The four forms of request target (RFC 9112 §3.2).
package enum TargetForm: Sendable, Equatable {
    case origin, absolute, authority, asterisk
}

/// A parsed request head: everything as byte ranges into the bytes it was parsed from (offsets from the
/// start of the parse window), with the few fields that framing and routing need recognised in the same pass.
/// Reused from request to request, so its `fields` array keeps its capacity.
@usableFromInline  // with its fields below: lets `@inlinable` members inline across the module boundary
package struct RequestHead: Sendable, Equatable {
    package init() {}

    package var method: HTTPMethod = .get
    @usableFromInline package var version: HTTPVersion = .http1_1
    /// The whole request line, without CRLF (for the access log).
    package var requestLine: Range<Int> = 0..<0
    package var target: Range<Int> = 0..<0
    package var targetForm = TargetForm.origin
    /// The path of the target; empty for `*` and authority-form targets (absolute-form without a path means `/`).
    package var path: Range<Int> = 0..<0
    /// The query after `?`, if any.
    package var query: Range<Int>?
    /// The Host field's value, or the authority of an absolute-form target.
    package var host: Range<Int>?
    @usableFromInline package var fields: [HeaderField] = []
    @usableFromInline package var contentLength: Int?
    package var hasTransferEncoding = false
    @usableFromInline package var isChunked = false
    @usableFromInline package var connectionClose = false
    @usableFromInline package var connectionKeepAlive = false
    package var expectsContinue = false
    /// The bytes of the head, from the start of the window to the end of the empty line.
    package var length = 0

    @inlinable  // read per request by the server, across the module boundary: no copy of the head for a call
    package var framing: BodyFraming {
        if isChunked { return .chunked }
        if let contentLength, contentLength > 0 { return .length(contentLength) }
        return .none
    }

    /// Whether the connection stays open after this request's response (RFC 9112 §9.3).
    @inlinable
    package var wantsKeepAlive: Bool {
        if connectionClose { return false }
        return version == .http1_1 || connectionKeepAlive
    }

    /// Ready for the next request; `fields` keeps its capacity.
    package mutating func reset() {
        method = .get
        version = .http1_1
        requestLine = 0..<0
        target = 0..<0
        targetForm = .origin
        path = 0..<0
        query = nil
        host = nil
        fields.removeAll(keepingCapacity: true)
        contentLength = nil
        hasTransferEncoding = false
        isChunked = false
        connectionClose = false
        connectionKeepAlive = false
        expectsContinue = false
        length = 0
    }
}
