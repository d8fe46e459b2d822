import MiniHTTPCore
/// How an error answer's body is written.
///
/// ```swift
/// // text/plain:                 limit must be at most 100\n
/// // application/problem+json:   {"type":"about:blank","title":"Bad Request","status":400,
/// //                              "detail":"limit must be at most 100"}
/// ```
public enum ErrorBodyFormat: Sendable, Hashable {
    /// `text/plain; charset=utf-8`: the message (or the reason phrase) and a line feed, as the server's
    /// own answers are written.
    case plainText
    /// Problem details (RFC 9457), `application/problem+json`: `type` is `about:blank`, `title` the reason
    /// phrase, `status` the code, and `detail` the message when there is one.
    case problemDetails

    /// The media type of problem details (RFC 9457 §3).
    public static let problemJSONMediaType = "application/problem+json"

    /// The answer to any error a handler throws, by the rules of ``HTTPError/answering(_:)``: an
    /// ``HTTPResponseError`` as it says, a `DecodingError` as a 400 naming the field, anything else as a
    /// 500 that does not show the error's text.
    /// A status that forbids a body (1xx, 204, 304) gets none.
    /// - Parameter error: What the handler threw.
    /// - Returns: The response, with the error's header fields.
    public func response(for error: any Error) -> Response {
        let answer = HTTPError.answering(error)
        let status = answer.status
        // 1xx, 204 and 304 never carry a body (RFC 9110 §6.4.1): a thrown `HTTPError(.notModified)` is bare.
        if status.code < 200 || status.code == 204 || status.code == 304 {
            return Response(status: status, headers: answer.headers)
        }
        switch self {
        case .plainText:
            return Response(
                status: status, contentType: MediaType.plainText, headers: answer.headers,
                body: .string((answer.message ?? status.reason) + "\n"))
        case .problemDetails:
            return Response(
                status: status, contentType: Self.problemJSONMediaType, headers: answer.headers,
                body: .string(Self.problemDetails(status: status, detail: answer.message)))
        }
    }

    /// `{"type":"about:blank","title":…,"status":…,"detail":…}`, with `detail` left out when nil.
    static func problemDetails(status: Status, detail: String?) -> String {
        var json = #"{"type":"about:blank","title":"#
        appendJSONString(status.reason, to: &json)
        json += #","status":\#(status.code)"#
        if let detail {
            json += #","detail":"#
            appendJSONString(detail, to: &json)
        }
        json += "}"
        return json
    }

    /// `text` as a JSON string (RFC 8259 §7): quote, backslash and control characters escaped; everything
    /// else, non-ASCII included, kept as UTF-8.
    static func appendJSONString(_ text: String, to json: inout String) {
        json += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case "\u{08}": json += "\\b"
            case "\u{0C}": json += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16, uppercase: false)
                json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }
}

extension Response {
    /// The answer to any error a handler throws: see ``ErrorBodyFormat/response(for:)``.
    /// - Parameters:
    ///   - error: What the handler threw.
    ///   - format: How the body is written.
    public init(error: any Error, format: ErrorBodyFormat = .plainText) {
        self = format.response(for: error)
    }
}
