/// Writes a response head into a connection's output buffer: the pre-encoded status line, the cached
/// `Date`, `Server`, the content type, `Content-Length`, `Connection`, then the handler's fields.
package enum ResponseEncoder {
    package static let serverField = Array("Server: minihttp\r\n".utf8)
    package static let keepAliveField = Array("Connection: keep-alive\r\n".utf8)
    package static let closeField = Array("Connection: close\r\n".utf8)
    package static let contentTypePrefix = Array("Content-Type: ".utf8)
    package static let contentLengthPrefix = Array("Content-Length: ".utf8)
    package static let chunkedField = Array("Transfer-Encoding: chunked\r\n".utf8)
    package static let lastChunk = Array("0\r\n\r\n".utf8)

    /// How the body's end is shown: its length, chunked framing, or the connection's close (HTTP/1.0).
    package enum Framing {
        case length(Int)
        case chunked
        case close
    }
    package static let crlf: [UInt8] = [ASCII.carriageReturn, ASCII.lineFeed]
    package static let continueLine = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends `bytes` as one chunk: its size in hex, CRLF, the bytes, CRLF (RFC 9112 §7.1).
    package static func appendChunk(_ bytes: [UInt8], to out: inout [UInt8]) {
        let hexDigits: StaticString = "0123456789abcdef"
        var shift = (Int.bitWidth - bytes.count.leadingZeroBitCount + 3) / 4 * 4 - 4
        while shift >= 0 {
            out.append(hexDigits.utf8Start[(bytes.count >> shift) & 0xF])
            shift -= 4
        }
        out.append(contentsOf: crlf)
        out.append(contentsOf: bytes)
        out.append(contentsOf: crlf)
    }

    /// Appends a response head to `out`: the status line, `date`, `Server`, the content type, the body's
    /// framing (no length for statuses that forbid a body), `Connection`, the pre-encoded `fieldBlock`, then
    /// `fields`. Returns false, having appended nothing, when a field name or value is not safe to write
    /// (CR, LF, NUL or other controls; a name that is not a token).
    @inlinable
    package static func appendHead(
        status: Status, contentType: String?, fieldBlock: [UInt8], fields: [HTTPField],
        framing: Framing, keepAlive: Bool, date: [UInt8], into out: inout [UInt8]
    ) -> Bool {
        guard fieldsAreSafe(contentType: contentType, fields: fields) else { return false }
        appendCheckedHead(status: status, contentType: contentType, fieldBlock: fieldBlock, fields: fields,
                          framing: framing, keepAlive: keepAlive, date: date, into: &out)
        return true
    }

    /// ``appendHead(status:contentType:fieldBlock:fields:framing:keepAlive:date:into:)`` for fields that
    /// ``fieldsAreSafe(contentType:fields:)`` has already passed (the server's finaliser does, for every
    /// response): each value is checked once per response, not twice.
    @inlinable
    package static func appendCheckedHead(
        status: Status, contentType: String?, fieldBlock: [UInt8], fields: [HTTPField],
        framing: Framing, keepAlive: Bool, date: [UInt8], into out: inout [UInt8]
    ) {
        StatusLines.append(status, to: &out)
        out.append(contentsOf: date)
        out.append(contentsOf: serverField)
        if let contentType {
            out.append(contentsOf: contentTypePrefix)
            out.append(contentsOf: contentType.utf8)
            out.append(contentsOf: crlf)
        }
        if !status.forbidsBody {
            switch framing {
            case .length(let length):
                out.append(contentsOf: contentLengthPrefix)
                out.appendDecimal(length)
                out.append(contentsOf: crlf)
            case .chunked:
                out.append(contentsOf: chunkedField)
            case .close:
                break
            }
        }
        out.append(contentsOf: keepAlive ? keepAliveField : closeField)
        out.append(contentsOf: fieldBlock)
        for field in fields {
            out.append(contentsOf: field.name.utf8)
            out.append(ASCII.colon)
            out.append(ASCII.space)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: crlf)
        }
        out.append(contentsOf: crlf)
    }

    /// RFC 9110 §5.5: a field value must not contain CR, LF or NUL; we refuse every control but HTAB.
    @inlinable
    package static func fieldsAreSafe(contentType: String?, fields: [HTTPField]) -> Bool {
        if let contentType, !isSafeValue(contentType) { return false }
        for field in fields {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(ASCII.isTokenByte), isSafeValue(field.value)
            else { return false }
        }
        return true
    }

    @usableFromInline
    package static func isSafeValue(_ value: String) -> Bool {
        // Eight bytes at a time where the string is contiguous (always, for native strings).
        value.utf8.withContiguousStorageIfAvailable { ASCII.isFieldValue(UnsafeRawBufferPointer($0), 0..<$0.count) }
            ?? value.utf8.allSatisfy(ASCII.isFieldValueByte)
    }
}
