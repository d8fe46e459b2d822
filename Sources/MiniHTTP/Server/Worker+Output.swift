import Glibc

/// Encoding responses into a connection's output and writing them out.
extension Worker {
    /// Bodies up to this size are copied behind the head, so head and body (and a pipelined batch of
    /// responses) leave in one write; larger ones are written from where they are (`writev`, `sendfile`).
    static let inlineBodyBytes = 16 * 1024
    /// The most one `sendfile` call sends, so one fast client of a large file cannot hold the worker from
    /// the others for long (nginx's `sendfile_max_chunk` default).
    static let sendfileChunkBytes = 2 << 20

    /// Appends the response for the current request to the connection's output. Returns the body bytes
    /// it will send (for the access log). A response with unsafe header fields is replaced by a 500.
    func encode(_ response: Response, on connection: Connection, keepAlive: Bool) -> Int {
        prepareOutput(connection)
        let isHead = connection.head.method == .head
        let status = response.status
        let hasBody = !status.forbidsBody
        let length = hasBody ? response.body.count : 0
        let framing: ResponseEncoder.Framing = !response.body.isStream
            ? .length(length) : (connection.head.version == .http1_1 ? .chunked : .close)
        guard ResponseEncoder.appendHead(
            response, framing: framing, keepAlive: keepAlive, date: date.dateField, into: &connection.output)
        else {
            logger.error("refused a response with an unsafe header field (CR, LF, NUL or a bad name)")
            return encode(Self.unsafeResponse, on: connection, keepAlive: keepAlive)
        }
        counters.countResponse(method: connection.head.method, status: status)
        counters.countDuration(micros: Int(nowMicros - connection.requestStartMicros))
        guard hasBody, !isHead else { return 0 }
        switch response.body.storage {
        case .empty, .stream:
            break
        case .string(let string):
            connection.output.append(contentsOf: string.utf8)
        case .bytes(let bytes):
            if bytes.count <= Self.inlineBodyBytes {
                connection.output.append(contentsOf: bytes)
            } else {
                connection.tail = .bytes(bytes[...], sent: 0)
            }
        case .slice(let slice):
            if slice.count <= Self.inlineBodyBytes {
                connection.output.append(contentsOf: slice)
            } else {
                connection.tail = .bytes(slice, sent: 0)
            }
        case .file(let file):
            appendFile(file, offset: 0, count: file.size, to: connection)
        case .fileRegion(let file, let offset, let count):
            appendFile(file, offset: offset, count: count, to: connection)
        }
        return length
    }

    /// A small file region is copied behind the head; a larger one is sent with `sendfile`.
    private func appendFile(_ file: OpenFile, offset: Int, count: Int, to connection: Connection) {
        if count <= Self.inlineBodyBytes {
            // A file that shrank under us cannot honour its Content-Length: end the connection after it.
            if !file.read(offset: offset, count: count, appendingTo: &connection.output) {
                connection.phase = .closing
                connection.closeAfterOutput = true
            }
        } else {
            connection.tail = .file(file, offset: offset, remaining: count)
        }
    }

    static let unsafeResponse = Response.text("Internal Server Error\n", status: .internalServerError)

    /// Writes as much pending output as the socket takes. Returns true when everything was written,
    /// false when the socket is full (wait for `EPOLLOUT`) or the connection was closed.
    func flush(_ connection: Connection) -> Bool {
        while !connection.isClosed {
            let result: IOResult
            let pending = connection.output.count - connection.outputSent
            if pending > 0 {
                result = writeBuffered(connection, pending: pending)
            } else if let tail = connection.tail {
                result = writeTail(connection, tail)
            } else {
                connection.output.removeAll(keepingCapacity: true)
                connection.outputSent = 0
                return true
            }
            switch result {
            case .bytes:
                continue
            case .wouldBlock:
                connection.outputBlocked = true
                arm(connection, .timeout(.write))
                return false
            case .failed:
                close(connection)
                return false
            }
        }
        return false
    }

    /// Sends the buffered bytes, and a byte tail with them in the same `writev`.
    private func writeBuffered(_ connection: Connection, pending: Int) -> IOResult {
        let start = connection.outputSent
        let result: IOResult
        if case .bytes(let bytes, let sent)? = connection.tail {
            result = connection.output.withUnsafeBytes { head in
                bytes.withUnsafeBytes { body in
                    guard let headBase = head.baseAddress, let bodyBase = body.baseAddress else { return .failed(EINVAL) }
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
                counters.bytesSent += written
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
        result = connection.output.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return .failed(EINVAL) }
            return Syscall.send(connection.descriptor, base + start, count: pending, more: fileFollows)
        }
        if case .bytes(let written) = result {
            counters.bytesSent += written
            connection.outputSent += written
        }
        return result
    }

    private func writeTail(_ connection: Connection, _ tail: Connection.OutputTail) -> IOResult {
        switch tail {
        case .bytes(let bytes, let sent):
            let result = bytes.withUnsafeBytes { raw -> IOResult in
                guard let base = raw.baseAddress else { return .failed(EINVAL) }
                return Syscall.send(connection.descriptor, base + sent, count: bytes.count - sent)
            }
            if case .bytes(let written) = result {
                counters.bytesSent += written
                advanceTail(connection, by: written)
            }
            return result
        case .file(let file, var offset, let remaining):
            let result = Syscall.sendfile(connection.descriptor, file.descriptor, offset: &offset,
                                          count: min(remaining, Self.sendfileChunkBytes))
            if case .bytes(let written) = result {
                if written == 0 {
                    // The file shrank: what was promised cannot be sent; end the connection.
                    close(connection)
                    return .failed(EIO)
                }
                counters.bytesSent += written
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
