import Glibc

/// One connection's random script for `ConnectionFuzzTests`: pipelined requests with the responses they
/// must get, and how the client ends (half-close, `Connection: close`, or just stopping).
struct FuzzScript {
    struct Exchange {
        var request: [UInt8]
        var isHead = false
        var expectedStatus = 200
        var expectedBody: [UInt8]
        var label: String
    }

    enum Failure: Error, CustomStringConvertible {
        case mismatch(index: Int, label: String, what: String)
        case notClosed(extra: Int)
        case stuck(String)
        var description: String {
            switch self {
            case .stuck(let what): what
            case .mismatch(let index, let label, let what): "response \(index) (\(label)): \(what)"
            case .notClosed(let extra): "the server did not close after the last answer (\(extra) more bytes)"
            }
        }
    }

    var exchanges: [Exchange] = []
    /// The client half-closes after its last request: the server must answer everything, then close.
    var halfClose = false
    /// The last request says `Connection: close`: the server must answer it, then close.
    var closeLast = false
    /// The last request is malformed: the server must answer 400, then close.
    var badLast = false
    /// Requests pipelined after the one that closes (or the malformed one): sent, never answered; the
    /// answers before them must still arrive whole (the server must not reset the connection on them).
    var ignored: [UInt8] = []

    var summary: String {
        let ending = (halfClose ? " +FIN" : "") + (closeLast ? " +close" : "") + (badLast ? " +bad" : "")
            + (ignored.isEmpty ? "" : " +\(ignored.count) bytes after")
        return exchanges.count > 12
            ? "\(exchanges.count) requests: " + exchanges.prefix(12).map(\.label).joined(separator: " ") + " …" + ending
            : exchanges.map(\.label).joined(separator: " ") + ending
    }

    /// A deterministic body of `length` bytes that names its request.
    static func text(_ name: String, length: Int) -> String {
        let prefix = "\(name):"
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        return prefix + String(decoding: (0..<max(length - prefix.utf8.count, 0)).map { letters[$0 % 26] }, as: UTF8.self)
    }

    static func randomBytes(_ count: Int, _ random: inout SplitMix) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 32...126, using: &random) }
    }

    /// A chunked encoding of `body` in random pieces (an empty body is just the last chunk).
    static func chunked(_ body: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        var out: [UInt8] = []
        var rest = body[...]
        while !rest.isEmpty {
            let size = Int.random(in: 1...max(1, min(rest.count, 700)), using: &random)
            out += Array(String(size, radix: 16).utf8) + [13, 10] + rest.prefix(size) + [13, 10]
            rest = rest.dropFirst(size)
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    /// Mostly a few requests; now and then a flood of up to 150, far more than the server reads ahead of
    /// its answers, so it must hold the client back (and the client reads while it writes).
    init(_ random: inout SplitMix) {
        let count = Int.random(in: 0..<8, using: &random) == 0
            ? Int.random(in: 20...150, using: &random) : Int.random(in: 1...8, using: &random)
        halfClose = Int.random(in: 0..<3, using: &random) == 0
        closeLast = !halfClose && Int.random(in: 0..<5, using: &random) == 0
        badLast = !halfClose && !closeLast && Int.random(in: 0..<6, using: &random) == 0
        for index in 0..<count {
            let last = index == count - 1
            exchanges.append(Self.exchange(index, closing: last && closeLast, &random))
        }
        if badLast {
            exchanges.append(Exchange(request: Array("GET /sync/0/1 HTTP/1.1\r\nHost: t\r\nno colon\r\n\r\n".utf8),
                                      expectedStatus: 400, expectedBody: [], label: "bad"))
        }
        if closeLast || badLast, Bool.random(using: &random) {
            ignored = (0..<Int.random(in: 1...4, using: &random)).flatMap { Self.exchange(count + $0, closing: false, &random).request }
        }
    }

    static func exchange(_ n: Int, closing: Bool, _ random: inout SplitMix) -> Exchange {
        var fields = "Host: t\r\n" + (closing ? "Connection: close\r\n" : "")
        let bodyLength = Int.random(in: 0...10, using: &random) < 8
            ? Int.random(in: 0...300, using: &random) : Int.random(in: 301...6000, using: &random)
        let body = randomBytes(bodyLength, &random)
        if Bool.random(using: &random) { fields += "Expect: 100-continue\r\n" }
        let chunked = Bool.random(using: &random)
        let framing = chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: \(body.count)\r\n"
        let encodedBody = chunked ? Self.chunked(body, &random) : body
        func head(_ line: String, _ extra: String = "") -> [UInt8] { Array("\(line) HTTP/1.1\r\n\(fields)\(extra)\r\n".utf8) }
        switch Int.random(in: 0..<8, using: &random) {
        case 0, 1:
            let length = Int.random(in: 0...5, using: &random) == 0
                ? Int.random(in: 16_000...300_000, using: &random) : Int.random(in: 0...400, using: &random)
            let expected = Array(text("\(n)", length: length).utf8)
            if Int.random(in: 0..<4, using: &random) == 0 {
                return Exchange(request: head("HEAD /sync/\(n)/\(length)"), isHead: true, expectedBody: [], label: "HEAD")
            }
            return Exchange(request: head("GET /sync/\(n)/\(length)"), expectedBody: expected, label: "GET(\(length))")
        case 2:
            return Exchange(request: head("POST /echo/\(n)", framing) + encodedBody,
                            expectedBody: Array("\(n):".utf8) + body, label: "POST(\(chunked ? "chunked" : "length") \(body.count))")
        case 3:
            return Exchange(request: head("GET /async/\(n)"), expectedBody: Array("async \(n)".utf8), label: "async")
        case 4:
            return Exchange(request: head("POST /async-echo/\(n)", framing) + encodedBody,
                            expectedBody: Array("\(n):".utf8) + body, label: "async-POST(\(body.count))")
        case 5, 6:
            let parts = Int.random(in: 0...20, using: &random)
            let expected = (0..<parts).map { "\(n)-\($0)," }.joined()
            return Exchange(request: head("GET /stream/\(n)/\(parts)"), expectedBody: Array(expected.utf8), label: "stream(\(parts))")
        default:
            let sum = body.reduce(0) { ($0 &+ Int($1)) & 0xFFFF }
            return Exchange(request: head("POST /upload/\(n)", framing) + encodedBody,
                            expectedBody: Array("\(n):\(body.count):\(sum)".utf8), label: "upload(\(body.count))")
        }
    }

    /// Writes the script in random pieces with random short pauses, reading answers whenever the socket
    /// will not take more; then reads and checks the rest, and that the server closes when it must.
    func play(port: Int, random: inout SplitMix) throws {
        let client = try TestClient(port: port, timeoutSeconds: 5)
        defer { client.close() }
        var answered = 0
        var bytes = (exchanges.flatMap(\.request) + ignored)[...]
        while !bytes.isEmpty, answered < exchanges.count {
            let size = Int.random(in: 1...max(1, min(bytes.count, Bool.random(using: &random) ? 40 : 4000)), using: &random)
            do {
                try send(Array(bytes.prefix(size)), on: client, answered: &answered)
            } catch TestClient.Failure.closed where answered == exchanges.count && !ignored.isEmpty {
                break  // every answer is in; the server ended the connection on the requests after them
            }
            bytes = bytes.dropFirst(size)
            if Int.random(in: 0..<6, using: &random) == 0 { usleep(UInt32.random(in: 0...2000, using: &random)) }
        }
        if halfClose { client.finishSending() }
        while answered < exchanges.count { try readAnswer(client, answered: &answered) }
        if halfClose || closeLast || badLast {
            do {
                let extra = try client.readUntilClosed()
                guard extra.isEmpty else { throw Failure.notClosed(extra: extra.count) }
            } catch TestClient.Failure.closed where !ignored.isEmpty {
                // A reset after every answer arrived: the server had closed before the requests after them.
            }
        }
    }

    /// Sends without blocking; while the socket is full, reads answers (the server holds a client back
    /// that does not read them), so neither side waits on the other.
    private func send(_ bytes: [UInt8], on client: TestClient, answered: inout Int) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.send(client.fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if sent > 0 {
                offset += sent
                continue
            }
            guard sent < 0, errno == EAGAIN || errno == EWOULDBLOCK else { throw TestClient.Failure.closed }
            var poller = pollfd(fd: client.fd, events: Int16(POLLIN | POLLOUT), revents: 0)
            guard poll(&poller, 1, 5000) > 0 else { throw Failure.stuck("neither readable nor writable for 5 s") }
            if poller.revents & Int16(POLLIN) != 0 {
                guard answered < exchanges.count else { return }  // the end of the connection
                try readAnswer(client, answered: &answered)
            }
        }
    }

    /// Reads the next response (an interim 100 is read alone) and checks it is the next request's answer.
    private func readAnswer(_ client: TestClient, answered: inout Int) throws {
        let exchange = exchanges[answered]
        let response = try client.readResponse(head: exchange.isHead)
        if response.status == 100 { return }
        defer { answered += 1 }
        guard response.status == exchange.expectedStatus else {
            throw Failure.mismatch(index: answered, label: exchange.label, what: "status \(response.status)")
        }
        guard exchange.expectedStatus != 200 || response.body == exchange.expectedBody else {
            throw Failure.mismatch(
                index: answered, label: exchange.label,
                what: "body of \(response.body.count) bytes, expected \(exchange.expectedBody.count): \(response.text.prefix(60))")
        }
    }
}
