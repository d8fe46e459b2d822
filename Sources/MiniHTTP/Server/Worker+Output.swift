import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Queuing responses on a connection: every response — a handler's, a static file's, the server's own —
/// passes `queue`, which finalises it, encodes it into the output and records it in the ledger.
extension Worker {
    /// Bodies up to this size are copied behind the head, so head and body (and a pipelined batch of
    /// responses) leave in one write; larger ones are written from where they are (`writev`, `sendfile`).
    static let inlineBodyBytes = 16 * 1024

    /// What `queue` did: whether the connection may stay open after the response (`keepAlive`, unless the
    /// handler asked to close or the body cannot be delivered whole), and the producer of a streamed body
    /// whose head it queued (nil for any other body).
    struct Queued {
        var staysOpen: Bool
        var stream: StreamSource?
    }

    /// Finalises and queues the response to the current request.
    @discardableResult
    func queue(_ response: consuming Response, on connection: Connection, keepAlive: Bool) -> Queued {
        var response = response  // consumed: a move, not a copy
        var keepAlive = keepAlive
        switch ResponseFinaliser.finalise(&response) {
        case .send:
            break
        case .sendAndClose:
            keepAlive = false
        case .refuse(let reason):
            logger.error("refused a response: \(reason)")
            response = CannedResponse.internalServerError
        }
        prepareOutput(connection)
        let before = connection.output.count
        let isHead = connection.head.method == .head
        let status = response.status
        let hasBody = !status.forbidsBody
        let isStream = response.body.isStream && hasBody
        let length = hasBody ? response.body.count : 0
        let framing: ResponseEncoder.Framing = !isStream
            ? .length(length) : (connection.head.version == .http1_1 ? .chunked : .close)
        // The finaliser has checked the fields (or put its 500 in their place).
        ResponseEncoder.appendCheckedHead(
            response, framing: framing, keepAlive: keepAlive, date: date.dateField, into: &connection.output)
        var tailBytes = 0
        if hasBody, !isHead {
            switch response.body.storage {
            case .empty, .stream, .staticFile:  // a file is resolved before (Worker.resolveFiles)
                break
            case .string(let string):
                connection.output.append(contentsOf: string.utf8)
            case .bytes(let bytes):
                tailBytes = appendBytes(bytes[...], to: connection)
            case .slice(let slice):
                tailBytes = appendBytes(slice, to: connection)
            case .file(let file):
                if !appendFile(file, offset: 0, count: file.size, to: connection, tailBytes: &tailBytes) {
                    keepAlive = false
                }
            case .fileRegion(let file, let offset, let count):
                if !appendFile(file, offset: offset, count: count, to: connection, tailBytes: &tailBytes) {
                    keepAlive = false
                }
            }
        }
        connection.ledger.didQueue(connection.output.count - before + tailBytes)
        let bodyBytes = isHead || !hasBody ? 0 : length
        if accessLog != nil { formatLogLine(connection, status: status, bodyBytes: bodyBytes) }
        connection.ledger.record(status: status, method: connection.head.method, bodyBytes: bodyBytes,
                                 startMicros: connection.requestStartMicros, streaming: isStream && !isHead)
        _ = connection.state.on(.queued, now: now)
        guard isStream, !isHead, case .stream(let source) = response.body.storage else {
            return Queued(staysOpen: keepAlive, stream: nil)
        }
        return Queued(staysOpen: keepAlive, stream: source)
    }

    /// Copies a small body behind the head; a larger one is written from where it is. Returns the bytes
    /// left to the tail.
    private func appendBytes(_ bytes: ArraySlice<UInt8>, to connection: Connection) -> Int {
        if bytes.count <= Self.inlineBodyBytes {
            connection.output.append(contentsOf: bytes)
            return 0
        }
        connection.tail = .bytes(bytes, sent: 0)
        return bytes.count
    }

    /// A small file region is copied behind the head; a larger one is sent with `sendfile`. Returns false
    /// when the file shrank under us: it cannot honour its Content-Length, so the connection must end.
    private func appendFile(
        _ file: OpenFile, offset: Int, count: Int, to connection: Connection, tailBytes: inout Int
    ) -> Bool {
        guard count > Self.inlineBodyBytes else {
            return file.read(offset: offset, count: count, appendingTo: &connection.output)
        }
        connection.tail = .file(file, offset: offset, remaining: count)
        tailBytes = count
        return true
    }

    /// Accounts for every response whose last byte has been handed to the kernel (all of them when the
    /// connection closes): counters, the duration histogram, the access log.
    func finishResponses(_ connection: Connection, all: Bool = false) {
        guard !connection.ledger.isEmpty else { return }
        connection.ledger.takeCompleted(all: all) { entry, line in
            let micros = max(nowMicros - entry.startMicros, 0)
            counters.countResponse(method: entry.method, status: entry.status)
            counters.countDuration(micros: Int(micros))
            accessLog?.append(line: line, milliseconds: micros / 1000)
        }
    }
}
