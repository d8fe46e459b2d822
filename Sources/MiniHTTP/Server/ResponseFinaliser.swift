import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// The one gate every response passes before it is encoded — a handler's, a static file's and the
/// server's own: framing is the server's alone, a final response is never 1xx, and field lines are safe.
enum ResponseFinaliser {
    enum Verdict: Equatable {
        /// Send it as it is.
        case send
        /// Send it, then close: the handler asked for `Connection: close` (its field is dropped; the
        /// server writes its own).
        case sendAndClose
        /// Do not send it (a 500 goes instead); `reason` is logged.
        case refuse(reason: String)
    }

    /// Checks `response`. The fields the server writes itself are never sent twice: a handler's
    /// `Content-Type` field becomes the response's content type, its `Date` and `Server` fields are dropped
    /// (the server's clock and name stand), its `Connection` field is dropped (honoured if it says close).
    static func finalise(_ response: inout Response) -> Verdict {
        if response.status.code < 200 {
            // RFC 9110 §15.2: 1xx are interim; the server sends 100 Continue itself.
            return .refuse(reason: "a handler answered \(response.status.code): 1xx cannot be a final response")
        }
        guard ResponseEncoder.fieldsAreSafe(response) else {
            return .refuse(reason: "a response header field has CR, LF, NUL or a name that is not a token")
        }
        var ownFields = false
        for field in response.headers {
            switch ServerField(field.name) {
            case .contentLength, .transferEncoding:
                // Two framings on the wire are a smuggling vector (RFC 9112 §6.3): the server frames bodies.
                return .refuse(reason: "a handler set \(field.name): the server frames response bodies itself")
            case .connection, .contentType, .date, .server:
                ownFields = true
            case nil:
                continue
            }
        }
        guard ownFields else { return .send }
        var wantsClose = false
        for field in response.headers {
            switch ServerField(field.name) {
            case .connection: wantsClose = wantsClose || hasCloseOption(field.value)
            case .contentType: response.contentType = field.value  // the last one set wins
            default: continue
            }
        }
        response.headers.removeAll { ServerField($0.name) != nil }
        return wantsClose ? .sendAndClose : .send
    }

    /// Whether a `Connection` value lists the `close` option (RFC 9110 §7.6.1: a comma-separated list).
    private static func hasCloseOption(_ value: String) -> Bool {
        value.utf8.split(separator: ASCII.comma).contains { option in
            let bytes = Array(option)  // a handler's own `Connection` field: rare
            return bytes.withUnsafeBytes { $0.equalsIgnoringCase($0.trimmingWhitespace(0..<$0.count), "close") }
        }
    }

    /// The header fields the server writes itself: the framing, `Connection`, `Content-Type` (from the
    /// response's `contentType`), `Date` and `Server`.
    enum ServerField: Equatable {
        case contentLength, transferEncoding, connection, contentType, date, server

        init?(_ name: String) {
            switch name.utf8.count {
            case 4 where ASCII.equalsIgnoringCase(name, "date"): self = .date
            case 6 where ASCII.equalsIgnoringCase(name, "server"): self = .server
            case 10 where ASCII.equalsIgnoringCase(name, "connection"): self = .connection
            case 12 where ASCII.equalsIgnoringCase(name, "content-type"): self = .contentType
            case 14 where ASCII.equalsIgnoringCase(name, "content-length"): self = .contentLength
            case 17 where ASCII.equalsIgnoringCase(name, "transfer-encoding"): self = .transferEncoding
            default: return nil
            }
        }
    }
}
