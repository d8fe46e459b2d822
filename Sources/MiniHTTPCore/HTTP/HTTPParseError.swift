/// Why a request could not be accepted. Each case maps to exactly one status; after any of them the
/// connection is closed, so no byte after the error can be read as another request.
package enum HTTPParseError: Error, Equatable, Sendable {
    /// The request line is not `method SP request-target SP HTTP-version CRLF`.
    case invalidRequestLine
    /// A request target of a form the method does not allow, or not a valid target.
    case invalidTarget
    /// A header field line is malformed: no colon, whitespace before the colon, a bad name or value byte.
    case invalidHeaderField
    /// A field line starting with whitespace (obs-fold, RFC 9112 §5.2).
    case obsoleteLineFolding
    /// A line ended in a bare LF, or a CR not followed by LF.
    case invalidLineEnding
    /// HTTP/1.1 without Host, a second Host, or a Host that is not a valid authority (RFC 9112 §3.2).
    case missingHost, duplicateHost, invalidHost
    /// Content-Length that is not a non-negative decimal, or given twice (RFC 9112 §6.3).
    case invalidContentLength, duplicateContentLength
    /// Both Content-Length and Transfer-Encoding: a smuggling vector (RFC 9112 §6.1).
    case contentLengthWithTransferEncoding
    /// Transfer-Encoding whose final coding is not chunked, or chunked applied twice.
    case transferEncodingNotChunked
    /// Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1).
    case transferEncodingInHTTP1_0
    /// A transfer coding other than chunked.
    case unsupportedTransferCoding
    /// A chunked body that breaks the chunk grammar (RFC 9112 §7.1).
    case invalidChunkedBody
    /// A method minihttp does not implement.
    case unknownMethod
    /// A major protocol version other than 1.
    case unsupportedVersion
    /// The request target is longer than `maxURIBytes`.
    case uriTooLong
    /// The header section is longer than `maxHeaderBytes`, or has too many fields.
    case headerTooLarge
    /// The declared or decoded body is longer than `maxBodyBytes`.
    case bodyTooLarge
    /// An Expect other than 100-continue.
    case unsupportedExpectation

    package var status: Status {
        switch self {
        case .unknownMethod, .unsupportedTransferCoding: .notImplemented
        case .unsupportedVersion: .httpVersionNotSupported
        case .uriTooLong: .uriTooLong
        case .headerTooLarge: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .contentTooLarge
        case .unsupportedExpectation: .expectationFailed
        default: .badRequest
        }
    }
}
