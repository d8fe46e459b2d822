import MiniHTTP
import MiniHTTPCore

/// The bytes of a request a ``TestClient`` sends: HTTP/1.1, `Host: localhost` unless given, and the body
/// framed by `Content-Length` (or chunked in pieces of `chunkSize`) unless the fields already frame it.
enum RequestBytes {
    static func make(
        _ method: HTTPMethod, _ target: String, headers: TestRequestHeaders, body: [UInt8]?, chunkSize: Int?
    ) throws(TestClientError) -> [UInt8] {
        guard !target.isEmpty, !target.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw .invalidRequest("the target '\(target)' is empty or has a space or control character")
        }
        for field in headers.fields {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(ResponseParser.isTokenByte) else {
                throw .invalidRequest("the field name '\(field.name)' is not a token")
            }
            guard !field.value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) else {
                throw .invalidRequest("the value of \(field.name) has CR, LF or NUL")
            }
        }
        var head = "\(method) \(target) HTTP/1.1\r\n"
        if !headers.contains("Host") { head += "Host: localhost\r\n" }
        for field in headers.fields { head += "\(field.name): \(field.value)\r\n" }
        let framed = headers.contains("Content-Length") || headers.contains("Transfer-Encoding")
        var bytes: [UInt8] = []
        let sendsBody = body != nil || [.post, .put, .patch].contains(method)
        if let chunkSize, sendsBody, !framed {
            guard chunkSize > 0 else { throw .invalidRequest("chunkSize must be positive") }
            head += "Transfer-Encoding: chunked\r\n\r\n"
            bytes = Array(head.utf8)
            var rest = (body ?? [])[...]
            while !rest.isEmpty {
                let piece = rest.prefix(chunkSize)
                bytes += Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + [13, 10]
                rest = rest.dropFirst(piece.count)
            }
            return bytes + Array("0\r\n\r\n".utf8)
        }
        if sendsBody, !framed { head += "Content-Length: \((body ?? []).count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }

    /// What `raw` asks for, read with the server's own parser: one expectation per complete request (a
    /// HEAD gets no body), plus one for the error answer if the bytes go bad; an incomplete tail none, and
    /// `complete` false (its answer comes once a later send completes it).
    static func expectations(of raw: [UInt8]) -> (expectations: [Expectation], complete: Bool) {
        var expectations: [Expectation] = []
        var start = 0
        let limits = ParserLimits(maxBodyBytes: Int.max / 2)
        while start < raw.count {
            var parser = RequestParser(limits: limits)
            var head = RequestHead()
            let result = raw.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[start...]), into: &head) }
            switch result {
            case .incomplete:
                return (expectations, false)
            case .failed:
                return (expectations + [Expectation(method: .get)], true)
            case .complete:
                expectations.append(Expectation(method: head.method, version: head.version))
                start += head.length
                switch head.framing {
                case .none:
                    break
                case .length(let length):
                    guard length <= raw.count - start else { return (expectations.dropLast(), false) }
                    start += length
                case .chunked:
                    var decoder = ChunkedDecoder(limits: limits)
                    var body: [UInt8] = []
                    let decoded = raw.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[start...]), into: &body) }
                    switch decoded {
                    case .done(let consumed): start += consumed
                    case .needMore: return (expectations, false)
                    case .failed: return (expectations, true)
                    }
                }
                if !head.wantsKeepAlive { return (expectations, true) }
            }
        }
        return (expectations, start == raw.count)
    }
}
