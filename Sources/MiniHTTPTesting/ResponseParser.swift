import MiniHTTP

/// Parses HTTP/1.1 responses from the bytes a connection delivered (RFC 9112 §4, §6.3, §7.1): strictly,
/// since what it reads is the server under test. Lenient only where ``TestResponse/validate()`` should
/// get to name the fault (both `Content-Length` and `Transfer-Encoding`: the chunking wins, as for a client).
enum ResponseParser {
    /// The most a head may take before the parser gives up on finding its end.
    static let maxHeadBytes = 1 << 20

    /// One response from the start of `bytes`, and how many bytes it took; nil when more bytes are needed
    /// (`atEnd`: the connection has closed, so a close-delimited body ends with `bytes`).
    static func parse(
        _ bytes: ArraySlice<UInt8>, method: HTTPMethod, version requestVersion: HTTPVersion, atEnd: Bool
    ) throws(TestClientError) -> (TestResponse, Int)? {
        guard let headLength = headEnd(bytes) else {
            if bytes.count > maxHeadBytes { throw .malformedResponse("no end of the head in \(bytes.count) bytes") }
            return nil
        }
        let start = bytes.startIndex
        let (statusLine, fields) = try lines(bytes[start..<(start + headLength - 2)])
        let (version, status) = try parseStatusLine(statusLine)
        let bodyStart = start + headLength
        func done(_ body: [UInt8], end: Int, _ framing: TestResponse.Framing) -> (TestResponse, Int) {
            let response = TestResponse(
                version: version, status: status, headers: fields, body: body, wire: Array(bytes[start..<end]),
                framing: framing, requestMethod: method, requestVersion: requestVersion)
            return (response, end - start)
        }
        let code = status.code
        if method == .head || (code >= 100 && code < 200) || code == 204 || code == 304 {
            return done([], end: bodyStart, .none)
        }
        let codings = fields.filter { TestHeaders.sameName($0.name, "Transfer-Encoding") }
            .flatMap { $0.value.split(separator: ",") }.map { $0.trimmingSpaces.lowercased() }
        if !codings.isEmpty {
            guard codings.last == "chunked" else { return atEnd ? done(Array(bytes[bodyStart...]), end: bytes.endIndex, .closeDelimited) : nil }
            guard let (body, chunks, end) = try dechunk(bytes[bodyStart...]) else { return nil }
            return done(body, end: end, .chunked(chunks: chunks))
        }
        let lengths = fields.filter { TestHeaders.sameName($0.name, "Content-Length") }
            .flatMap { $0.value.split(separator: ",", omittingEmptySubsequences: false) }.map(\.trimmingSpaces)
        if let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), first.utf8.count <= 18, !first.isEmpty,
                  first.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(first)
            else { throw .malformedResponse("Content-Length \(lengths.joined(separator: ", ")) cannot frame a body") }
            guard bytes.endIndex - bodyStart >= length else { return nil }
            return done(Array(bytes[bodyStart..<(bodyStart + length)]), end: bodyStart + length, .contentLength(length))
        }
        return atEnd ? done(Array(bytes[bodyStart...]), end: bytes.endIndex, .closeDelimited) : nil
    }

    /// The length of the head with its final CRLF CRLF, if it is all there.
    private static func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                return index + 4 - bytes.startIndex
            }
            index += 1
        }
        return nil
    }

    /// The status line and the fields of a head (without its last CRLF); a bare CR or LF, an obsolete
    /// line folding or a field line that is not `token ":" value` is malformed.
    private static func lines(_ head: ArraySlice<UInt8>) throws(TestClientError) -> (String, [HTTPField]) {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        var index = head.startIndex
        while index < head.endIndex {
            let byte = head[index]
            if byte == 13 {
                guard index + 1 < head.endIndex, head[index + 1] == 10 else { throw .malformedResponse("a bare CR in the head") }
                lines.append(head[lineStart..<index])
                index += 2
                lineStart = index
                continue
            }
            if byte == 10 { throw .malformedResponse("a bare LF in the head") }
            if byte == 0 { throw .malformedResponse("a NUL in the head") }
            index += 1
        }
        guard let statusLine = lines.first else { throw .malformedResponse("an empty head") }
        var fields: [HTTPField] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: 0x3A) else {
                throw .malformedResponse("a field line without a colon: \(String(decoding: line, as: UTF8.self))")
            }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
                throw .malformedResponse("a field name that is not a token: '\(String(decoding: name, as: UTF8.self))'")
            }
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces
            fields.append(HTTPField(name: String(decoding: name, as: UTF8.self), value: value))
        }
        return (String(decoding: statusLine, as: UTF8.self), fields)
    }

    /// `HTTP/1.1 200 OK`: the version, and the status with its reason as sent.
    private static func parseStatusLine(_ line: String) throws(TestClientError) -> (String, Status) {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0", parts[1].utf8.count == 3,
              parts[1].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let code = Int(parts[1]), code >= 100
        else { throw .malformedResponse("not a status line: '\(line)'") }
        return (String(parts[0]), Status(code: code, reason: parts.count == 3 ? String(parts[2]) : ""))
    }

    /// A chunked body: the data, the number of data chunks, and where the body ends; nil if incomplete.
    private static func dechunk(_ bytes: ArraySlice<UInt8>) throws(TestClientError) -> ([UInt8], Int, Int)? {
        var body: [UInt8] = []
        var chunks = 0
        var index = bytes.startIndex
        while true {
            guard let lineEnd = crlf(bytes, from: index) else { return nil }
            let line = bytes[index..<lineEnd]
            let sizeDigits = line.prefix { isHexDigit($0) }
            let rest = line.dropFirst(sizeDigits.count)
            guard !sizeDigits.isEmpty, sizeDigits.count <= 15, rest.isEmpty || rest.first == 0x3B,
                  let size = Int(String(decoding: sizeDigits, as: UTF8.self), radix: 16)
            else { throw .malformedResponse("a bad chunk-size line: '\(String(decoding: line, as: UTF8.self))'") }
            index = lineEnd + 2
            if size == 0 { break }
            guard bytes.endIndex - index >= size + 2 else { return nil }
            body.append(contentsOf: bytes[index..<(index + size)])
            index += size
            guard bytes[index] == 13, bytes[index + 1] == 10 else { throw .malformedResponse("chunk data not followed by CRLF") }
            index += 2
            chunks += 1
        }
        // Trailer fields, then an empty line.
        while true {
            guard let lineEnd = crlf(bytes, from: index) else { return nil }
            defer { index = lineEnd + 2 }
            if lineEnd == index { return (body, chunks, lineEnd + 2) }
        }
    }

    private static func crlf(_ bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.endIndex {
            if bytes[index] == 13, bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    /// RFC 9110 §5.6.2 tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (optional whitespace, RFC 9110 §5.6.3).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
