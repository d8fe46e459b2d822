import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Driving a connection: answer what is buffered, write, read more — while any of them makes progress —
/// then settle. Every turn makes progress or waits (for the client, a handler, or a deadline).
extension Worker {
    /// Runs the connection as far as it can go now. Called for every epoll event and mailbox message.
    func drive(_ connection: Connection) {
        while !connection.isClosed {
            let stoppedByOutput = answerBuffered(connection)
            guard !connection.isClosed else { return }
            let flushed = flush(connection)
            // A producer may go on as soon as less than its high-water mark is unsent, written out or not.
            if connection.streamAcknowledgement != nil { releaseStreamProducerIfRoom(connection) }
            // After an answer that leaves the rest of the request unread, what the client still sends is
            // dropped as it comes, so a client that sends all before it reads gets its answer.
            if case .closing(linger: true) = connection.state.phase, connection.mayHaveInput {
                discardInput(connection)
                guard !connection.isClosed else { return }
            }
            guard flushed else { break }  // the socket is full (EPOLLOUT resumes) or it closed
            if case .closing = connection.state.phase { break }
            if stoppedByOutput { continue }  // the answers are out: parse what waited behind them
            switch readInput(connection) {
            case .progress:
                continue
            case .nothing:
                break
            case .full:
                refuseFullBuffer(connection)
                continue
            case .closed:
                return
            }
            break
        }
        settle(connection)
    }

    /// The buffer is at its budget and nothing in it can be answered: the request is too large for the
    /// state it is in (a head past the parser's limit, a PROXY header past its own) — never a retry.
    private func refuseFullBuffer(_ connection: Connection) {
        switch connection.state.phase {
        case .proxyHeader: refuse(connection, status: .badRequest)
        default: refuse(connection, status: .requestHeaderFieldsTooLarge)
        }
    }

    /// Parses and answers the requests already buffered, in order, until input runs out, a handler takes
    /// over, or the answers get too far ahead of the client. Returns true when it stopped for the last
    /// reason: once the output is written, there is more to parse.
    private func answerBuffered(_ connection: Connection) -> Bool {
        while !connection.isClosed, connection.state.parsesInput {
            guard connection.bufferedInput > 0 || connection.hasHead else { return false }
            if answersBackedUp(connection) { return true }
            switch connection.state.phase {
            case .proxyHeader:
                guard takeProxyHeader(connection) else { return false }
            case .idle, .readingHead:
                guard parseHead(connection) else { return false }
            case .readingBody:
                guard readBody(connection) else { return false }
            default:
                return false
            }
        }
        if case .streamingRequestBody = connection.state.phase, connection.bodyDemand != nil { feedBody(connection) }
        return false
    }

    /// Parses the head at `inputStart`. Returns true when it is complete (and dispatched, or its body is
    /// awaited), false when more input is needed or the request was refused.
    private func parseHead(_ connection: Connection) -> Bool {
        if case .idle(_, let wait) = connection.state.phase {
            // Empty lines between requests (a CR and its LF may arrive apart) do not begin a head.
            if wait == .nextRequest, !skipEmptyLines(connection) { return false }
            _ = connection.state.on(.bytesRead, now: now)
        }
        let result = connection.input.withUnsafeBytes { raw in
            connection.parser.parse(
                UnsafeRawBufferPointer(rebasing: raw[connection.inputStart..<connection.inputEnd]),
                into: &connection.head)
        }
        switch result {
        case .incomplete:
            return false
        case .failed(let error):
            refuse(connection, status: error.status)
            return false
        case .complete:
            break
        }
        connection.hasHead = true
        connection.requestStartMicros = nowMicros
        if !context.trust.trustedProxies.isEmpty { resolveForwardedClient(connection) }
        if bodyIsWorthSkipping(connection) {
            // A large body no handler reads is not buffered: the server answers at once and closes.
            if answerIgnoringBody(connection) { return true }
        }
        if context.routes.largestStreamedBody != nil, connection.head.framing != .none {
            // Streaming-body routes raise the parser's limit; others keep maxBodyBytes.
            if beginStreamingBody(connection) { return true }
            if case .length(let length) = connection.head.framing, length > context.connections.limits.maxBodyBytes {
                refuse(connection, status: .contentTooLarge)
                return false
            }
        }
        switch connection.head.framing {
        case .none:
            dispatch(connection, bodyLength: 0)
        case .length:
            _ = connection.state.on(.headParsed, now: now)
        case .chunked:
            connection.chunkedDecoder = ChunkedDecoder(limits: context.connections.limits)
            _ = connection.state.on(.headParsed, now: now)
        }
        return true
    }

    /// A body is answered without being read when it is chunked, larger than one read buffer, or awaits
    /// `100 Continue` (RFC 9110 §10.1.1: a final answer instead of the invitation), and is not already
    /// buffered: a small one is read (it costs no more than the buffer it fits in) and the connection goes on.
    private func bodyIsWorthSkipping(_ connection: Connection) -> Bool {
        switch connection.head.framing {
        case .none: return false
        case .chunked: return true
        case .length(let length):
            guard connection.bufferedInput < connection.head.length + length else { return false }
            return length > Self.bufferBytes || connection.head.expectsContinue
        }
    }

    /// Reads the body of the parsed request from the buffer. Returns true when the request was answered
    /// (or refused) and parsing may go on, false when more of the body is needed.
    private func readBody(_ connection: Connection) -> Bool {
        if case .length(let length) = connection.head.framing {
            guard connection.bufferedInput >= connection.head.length + length else {
                inviteBody(connection)
                return false
            }
            dispatch(connection, bodyLength: length)
            return true
        }
        // Chunked: the decoder takes the raw chunk bytes as they come and they leave the buffer, so the
        // buffer holds the head and what follows the body; the decoded body is capped by maxBodyBytes.
        let bodyStart = connection.inputStart + connection.head.length
        guard var decoder = connection.chunkedDecoder else { return false }
        let result = connection.input.withUnsafeBytes { raw in
            decoder.decode(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<connection.inputEnd]),
                           into: &connection.chunkedBody)
        }
        connection.chunkedDecoder = decoder
        switch result {
        case .needMore:
            connection.inputEnd = bodyStart
            inviteBody(connection)
            return false
        case .failed(let error):
            refuse(connection, status: error.status)
            return false
        case .done(let consumed):
            // Slide whatever follows the body (a pipelined request) up against the head.
            connection.removeInput(at: bodyStart, count: consumed)
            dispatch(connection, bodyLength: 0)
            return true
        }
    }

    /// `Expect: 100-continue` (RFC 9110 §10.1.1): the body is invited once its head has been accepted — a
    /// request whose answer does not depend on its body was answered at its head, without the invitation.
    func inviteBody(_ connection: Connection) {
        guard connection.head.expectsContinue, !connection.sentContinue, connection.head.version == .http1_1
        else { return }
        connection.sentContinue = true
        queueContinue(connection)
    }

    /// Queues `100 Continue` ahead of the final response.
    private func queueContinue(_ connection: Connection) {
        prepareOutput(connection)
        connection.output.append(contentsOf: ResponseEncoder.continueLine)
        connection.ledger.didQueue(ResponseEncoder.continueLine.count)
        _ = connection.state.on(.queued, now: now)
    }

    /// Answers a request that cannot be accepted with `status`, and closes the connection after it (with
    /// a lingering close, so the client reads the answer): nothing after the error is parsed.
    func refuse(_ connection: Connection, status: Status) {
        // Without a complete head, the answer's duration starts now (not with an earlier request).
        if !connection.hasHead { connection.requestStartMicros = nowMicros }
        queue(CannedResponse.error(status), on: connection, keepAlive: false)
        _ = connection.state.on(.refused, now: now)
    }
}
