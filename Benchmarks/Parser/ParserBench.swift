// The parser micro-benchmark: requests parsed per second and heap allocations per request, for a typical
// browser GET (about 500 bytes of headers) and for a pipelined batch. Built with the parser's own sources
// by run.sh, never by `swift build`.
import Glibc

@_silgen_name("malloc_counter_value")
func mallocCounterValue() -> UInt64

let browserGET = Array("""
    GET /assets/app.js?v=3 HTTP/1.1\r
    Host: www.example.com\r
    Connection: keep-alive\r
    User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r
    Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r
    Accept-Encoding: gzip, deflate, br\r
    Accept-Language: en-GB,en-US;q=0.9,en;q=0.8\r
    Cookie: session=4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99; theme=dark; consent=yes\r
    Referer: https://www.example.com/index.html\r
    Sec-Fetch-Dest: script\r
    Sec-Fetch-Mode: no-cors\r
    \r

    """.utf8)

let plaintext = Array("GET /plain HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\nConnection: keep-alive\r\n\r\n".utf8)

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Parses every request in `batch` (requests back to back), `rounds` times. Returns requests parsed.
@inline(never)
func run(_ batch: [UInt8], rounds: Int, parser: inout RequestParser, head: inout RequestHead) -> Int {
    var parsed = 0
    batch.withUnsafeBytes { raw in
        for _ in 0..<rounds {
            var start = 0
            while start < raw.count {
                let result = parser.parse(UnsafeRawBufferPointer(rebasing: raw[start...]), into: &head)
                guard result == .complete else { fatalError("benchmark input did not parse: \(result)") }
                start += head.length
                parsed += 1
                parser.reset()
                head.reset()
            }
        }
    }
    return parsed
}

func measure(_ name: String, _ batch: [UInt8], rounds: Int) {
    var parser = RequestParser(limits: ParserLimits())
    var head = RequestHead()
    _ = run(batch, rounds: 1000, parser: &parser, head: &head)  // warm up; fields reach their capacity
    let allocationsBefore = mallocCounterValue()
    let started = now()
    let parsed = run(batch, rounds: rounds, parser: &parser, head: &head)
    let elapsed = now() - started
    let allocations = mallocCounterValue() - allocationsBefore
    let perSecond = Double(parsed) / elapsed
    let bytes = Double(batch.count * rounds) / elapsed / 1_048_576
    print("\(name): \(parsed) requests in \(fixed(elapsed, 3)) s = \(fixed(perSecond / 1e6, 2)) M requests/s (\(fixed(bytes, 0)) MiB/s), \(fixed(Double(allocations) / Double(parsed), 3)) heap allocations per request")
}

/// `value` with `digits` decimals (no Foundation formatting here).
func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    return digits == 0 ? String(whole) : "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
}

@main
struct ParserBench {
    static func main() {
        let rounds = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 2_000_000 : 2_000_000
        print("typical browser GET: \(browserGET.count) bytes")
        measure("browser GET", browserGET, rounds: rounds)
        let pipelined = Array((0..<16).map { _ in plaintext }.joined())
        measure("pipelined x16 (\(plaintext.count) bytes each)", pipelined, rounds: rounds / 16)
    }
}
