import MiniHTTPCore
import MiniHTTPRouting

extension ResponseEncoder {
    /// Appends the head of `response` to `out` (see ``appendHead(status:contentType:fieldBlock:fields:framing:keepAlive:date:into:)``).
    @inline(__always)
    static func appendHead(
        _ response: Response, framing: Framing, keepAlive: Bool, date: [UInt8], into out: inout [UInt8]
    ) -> Bool {
        appendHead(
            status: response.status, contentType: response.contentType, fieldBlock: response.fieldBlock,
            fields: response.headers.fields, framing: framing, keepAlive: keepAlive, date: date, into: &out)
    }

    /// Appends the head of `response`, whose fields ``fieldsAreSafe(_:)`` has passed (the finaliser's check).
    @inline(__always)
    static func appendCheckedHead(
        _ response: Response, framing: Framing, keepAlive: Bool, date: [UInt8], into out: inout [UInt8]
    ) {
        appendCheckedHead(
            status: response.status, contentType: response.contentType, fieldBlock: response.fieldBlock,
            fields: response.headers.fields, framing: framing, keepAlive: keepAlive, date: date, into: &out)
    }

    /// Whether every field of `response` is safe to write.
    static func fieldsAreSafe(_ response: Response) -> Bool {
        fieldsAreSafe(contentType: response.contentType, fields: response.headers.fields)
    }
}
