import Glibc

// libFuzzer entry point for the request parser. Compiled together with the parser's own sources by
// run.sh (never by `swift build`), so it exercises the real code, not a copy.
//
// For each input it checks more than "no crash": the bytes parsed whole and the same bytes delivered in
// two pieces (split at a point chosen from the input) must give the same requests and the same error;
// a window of `maxHeadBytes` bytes or more is never `.incomplete` and no head is longer (the connection's
// head budget); the chunked decoder never claims more bytes than it was given.

struct ParsedHead: Equatable {
    var method: HTTPMethod
    var target: [UInt8]
    var fields: [[UInt8]]
    var framing: BodyFraming
    var keepAlive: Bool
    var body: [UInt8]
}

enum Outcome: Equatable {
    case heads([ParsedHead], failure: HTTPParseError?, finished: Bool)
}

/// Parses `bytes` as a connection would, delivering them in pieces that end at `cuts`.
func parseAll(_ bytes: [UInt8], cuts: [Int]) -> Outcome {
    var limits = ParserLimits()
    limits.maxHeaderBytes = 4096
    limits.maxURIBytes = 1024
    limits.maxBodyBytes = 4096
    var parser = RequestParser(limits: limits)
    var head = RequestHead()
    var chunked: ChunkedDecoder?
    var body: [UInt8] = []
    var heads: [ParsedHead] = []
    var start = 0
    var pendingLength = 0
    var bodyDone = 0
    for end in cuts + [bytes.count] where end > 0 && end <= bytes.count {
        while start < end {
            if var decoder = chunked {
                let result = bytes.withUnsafeBytes { decoder.decode(UnsafeRawBufferPointer(rebasing: $0[start..<end]), into: &body) }
                chunked = decoder
                switch result {
                case .needMore:
                    start = end
                    continue
                case .failed(let error):
                    return .heads(heads, failure: error, finished: false)
                case .done(let consumed):
                    if consumed > end - start {
                        fputs("the decoder consumed \(consumed) of \(end - start) bytes\n", stderr)
                        abort()
                    }
                    start += consumed
                    heads[heads.count - 1].body = body
                    body.removeAll()
                    chunked = nil
                    continue
                }
            }
            if pendingLength > 0 {
                let take = min(pendingLength, end - start)
                body.append(contentsOf: bytes[start..<(start + take)])
                start += take
                pendingLength -= take
                bodyDone += take
                if pendingLength == 0 {
                    heads[heads.count - 1].body = body
                    body.removeAll()
                }
                continue
            }
            let result = bytes.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[start..<end]), into: &head) }
            switch result {
            case .incomplete:
                if end - start >= limits.maxHeadBytes {
                    fputs("a window of \(end - start) bytes is incomplete; maxHeadBytes is \(limits.maxHeadBytes)\n", stderr)
                    abort()
                }
            case .failed(let error):
                return .heads(heads, failure: error, finished: false)
            case .complete:
                if head.length > limits.maxHeadBytes {
                    fputs("a head of \(head.length) bytes; maxHeadBytes is \(limits.maxHeadBytes)\n", stderr)
                    abort()
                }
                let window = Array(bytes[start...])
                heads.append(ParsedHead(
                    method: head.method, target: Array(window[head.target]),
                    fields: head.fields.map { Array(window[$0.name]) + [0x3A] + Array(window[$0.value]) },
                    framing: head.framing, keepAlive: head.wantsKeepAlive, body: []))
                start += head.length
                switch head.framing {
                case .none: break
                case .length(let length): pendingLength = length
                case .chunked: chunked = ChunkedDecoder(limits: limits)
                }
                parser.reset()
                head.reset()
                continue
            }
            break
        }
    }
    return .heads(heads, failure: nil, finished: start == bytes.count && pendingLength == 0 && chunked == nil)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = parseAll(bytes, cuts: [])
    guard size > 1 else { return 0 }
    // Split at a point derived from the input itself, so the fuzzer can steer it.
    let cut = 1 + Int(bytes[size - 1]) * 7919 % (size - 1)
    let split = parseAll(bytes, cuts: [cut])
    if whole != split {
        fputs("split at \(cut) of \(size) changed the result:\n  whole: \(whole)\n  split: \(split)\n", stderr)
        abort()
    }
    return 0
}
