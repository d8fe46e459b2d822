import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Writing a connection's output: the buffered bytes, then the tail (a large body, or a file by
/// `sendfile`). Every result is reported to the state, which derives the output state from it.
extension Worker {
    /// The most one `sendfile` call sends, so one fast client of a large file cannot hold the worker from
    /// the others for long (nginx's `sendfile_max_chunk` default).
    static let sendfileChunkBytes = 2 << 20

    /// Writes as much pending output as the socket takes. Returns true when everything was written,
    /// false when the socket is full (EPOLLOUT resumes) or the connection closed.
    func flush(_ connection: Connection) -> Bool {
        guard connection.hasPendingOutput else {
            // A pattern, not `!=`: across modules `==` on the state's enum is a generic call.
            if case .idle = connection.state.output {} else { _ = connection.state.on(.wroteAll, now: now) }
            return true
        }
        var progressed = false
        while connection.hasPendingOutput {
            switch writeSome(connection) {
            case .bytes:
                progressed = true
            case .wouldBlock:
                finishResponses(connection)
                _ = connection.state.on(progressed ? .wroteSome : .wouldBlock, now: now)
                return false
            case .failed:
                apply(connection.state.on(.reset, now: now), to: connection)
                return false
            }
        }
        connection.output.removeAll(keepingCapacity: true)
        connection.outputSent = 0
        finishResponses(connection)
        _ = connection.state.on(.wroteAll, now: now)
        return true
    }

    /// One write: the buffered bytes (with a byte tail in the same `writev`), or the tail.
    func writeSome(_ connection: Connection) -> IOResult {
        let pending = connection.pendingOutputBytes
        let result: IOResult
        if pending > 0 {
            result = writeBuffered(connection, pending: pending)
        } else if let tail = connection.tail {
            result = writeTail(connection, tail)
        } else {
            return .bytes(0)
        }
        if case .bytes(let written) = result {
            counters.bytesSent += written
            connection.ledger.didSend(written)
        }
        return result
    }

    private func writeBuffered(_ connection: Connection, pending: Int) -> IOResult {
        let start = connection.outputSent
        if case .bytes(let bytes, let sent)? = connection.tail {
            let result = connection.output.withUnsafeBytes { head in
                bytes.withUnsafeBytes { body in
                    guard let headBase = head.baseAddress, let bodyBase = body.baseAddress else { return IOResult.failed(EINVAL) }
                    var vectors = (
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: headBase + start), iov_len: pending),
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: bodyBase + sent), iov_len: bytes.count - sent))
                    return withUnsafePointer(to: &vectors) {
                        $0.withMemoryRebound(to: iovec.self, capacity: 2) {
                            Syscall.writev(connection.descriptor, $0, count: 2)
                        }
                    }
                }
            }
            if case .bytes(let written) = result {
                let intoBody = written - pending
                if intoBody >= 0 {
                    connection.outputSent = connection.output.count
                    advanceTail(connection, by: intoBody)
                } else {
                    connection.outputSent += written
                }
            }
            return result
        }
        let fileFollows: Bool
        if case .file? = connection.tail { fileFollows = true } else { fileFollows = false }
        let result = connection.output.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return IOResult.failed(EINVAL) }
            return Syscall.send(connection.descriptor, base + start, count: pending, more: fileFollows)
        }
        if case .bytes(let written) = result { connection.outputSent += written }
        return result
    }

    private func writeTail(_ connection: Connection, _ tail: Connection.OutputTail) -> IOResult {
        switch tail {
        case .bytes(let bytes, let sent):
            let result = bytes.withUnsafeBytes { raw -> IOResult in
                guard let base = raw.baseAddress else { return .failed(EINVAL) }
                return Syscall.send(connection.descriptor, base + sent, count: bytes.count - sent)
            }
            if case .bytes(let written) = result { advanceTail(connection, by: written) }
            return result
        case .file(let file, var offset, let remaining):
            let result = Syscall.sendfile(connection.descriptor, file.descriptor, offset: &offset,
                                          count: min(remaining, Self.sendfileChunkBytes))
            if case .bytes(let written) = result {
                // The file shrank: what was promised cannot be sent; the connection must end.
                if written == 0 { return .failed(EIO) }
                connection.tail = remaining - written > 0
                    ? .file(file, offset: offset, remaining: remaining - written) : nil
            }
            return result
        }
    }

    private func advanceTail(_ connection: Connection, by count: Int) {
        guard case .bytes(let bytes, let sent)? = connection.tail else { return }
        connection.tail = sent + count < bytes.count ? .bytes(bytes, sent: sent + count) : nil
    }
}
