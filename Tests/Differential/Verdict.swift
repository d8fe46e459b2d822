import Glibc

// minihttp's framing verdict for the differential check (run.py). Compiled with the parser's own sources
// by run.py (never by `swift build`), so it judges with the real code. Reads one message per line as hex
// on stdin; writes one JSON line per message: the requests a connection would take from it, in order
// (head length, framing, decoded body as hex, keep-alive), then how it ended: "complete" (every byte
// used, or only empty lines left), "incomplete" (more was needed), "closed" (a request that does not keep the connection alive; the
// server reads no further), or "error" with the status and the parse error.

func hexDecode(_ line: [UInt8]) -> [UInt8]? {
    guard line.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(line.count / 2)
    var index = 0
    while index < line.count {
        guard let high = ASCII.hexValue(line[index]), let low = ASCII.hexValue(line[index + 1]) else { return nil }
        bytes.append(UInt8(high << 4 | low))
        index += 2
    }
    return bytes
}

func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

/// Takes requests from `bytes` as a connection would, with the server's default limits.
func verdict(_ bytes: [UInt8]) -> String {
    let limits = ParserLimits()
    var parser = RequestParser(limits: limits)
    var head = RequestHead()
    var requests: [String] = []
    var start = 0
    func finish(_ end: String, _ extra: String = "") -> String {
        "{\"requests\":[\(requests.joined(separator: ","))],\"end\":\"\(end)\"\(extra)}"
    }
    func failure(_ error: HTTPParseError) -> String {
        finish("error", ",\"status\":\(error.status.code),\"error\":\"\(error)\"")
    }
    while start < bytes.count {
        let result = bytes.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[start...]), into: &head) }
        switch result {
        case .incomplete:
            // Only (parts of) empty lines left: nothing of a request has arrived yet, as for llhttp.
            let idle = bytes[start...].allSatisfy { $0 == ASCII.carriageReturn || $0 == ASCII.lineFeed }
            return finish(idle ? "complete" : "incomplete")
        case .failed(let error): return failure(error)
        case .complete: break
        }
        let window = Array(bytes[start...])
        let bodyStart = start + head.length
        var body: [UInt8] = []
        var framing = "\"none\""
        var next = bodyStart
        switch head.framing {
        case .none:
            break
        case .length(let length):
            framing = "\"length\",\"length\":\(length)"
            guard bytes.count - bodyStart >= length else { return finish("incomplete") }
            body = Array(bytes[bodyStart..<(bodyStart + length)])
            next = bodyStart + length
        case .chunked:
            framing = "\"chunked\""
            var decoder = ChunkedDecoder(limits: limits)
            let decoded = bytes.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[bodyStart...]), into: &body) }
            switch decoded {
            case .needMore: return finish("incomplete")
            case .failed(let error): return failure(error)
            case .done(let consumed): next = bodyStart + consumed
            }
        }
        requests.append("{\"method\":\"\(hex(window[head.requestLine.lowerBound..<head.target.lowerBound].dropLast()))\","
            + "\"target\":\"\(hex(window[head.target]))\",\"head\":\(head.length),\"framing\":\(framing),"
            + "\"body\":\"\(hex(body))\",\"keepAlive\":\(head.wantsKeepAlive)}")
        start = next
        if !head.wantsKeepAlive { return finish("closed") }
        parser.reset()
        head.reset()
    }
    return finish("complete")
}

@main
struct Verdict {
    static func main() {
        var line: [UInt8] = []
        while true {
            let byte = getchar()
            if byte == EOF || byte == 0x0A {
                if !line.isEmpty || byte != EOF {
                    if let bytes = hexDecode(line) { print(verdict(bytes)) } else { print("{\"end\":\"bad-input\"}") }
                    fflush(stdout)
                }
                line.removeAll(keepingCapacity: true)
                if byte == EOF { break }
                continue
            }
            line.append(UInt8(byte))
        }
    }
}
