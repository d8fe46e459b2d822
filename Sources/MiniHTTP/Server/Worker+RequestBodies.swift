import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Request bodies handed to a streaming-body route as they arrive, read from the socket only as its
/// handler asks for them.
extension Worker {
    /// If the request's route streams its body, starts its handler now (the body follows as it asks) and
    /// returns true; a declared body over the route's limit is answered 413 at once.
    func beginStreamingBody(_ connection: Connection) -> Bool {
        var request = makeRequest(connection, body: [])
        guard case .handler(.asyncStreamingBody(let handler, let maxBytes), let parameters) = match(request)
        else { return false }
        if case .length(let length) = connection.head.framing, length > maxBytes {
            refuse(connection, status: .contentTooLarge)
            return true
        }
        inviteBody(connection)
        if case .length(let length) = connection.head.framing {
            connection.streamedBodyRemaining = length
        } else {
            var limits = context.connections.limits
            limits.maxBodyBytes = maxBytes
            connection.chunkedDecoder = ChunkedDecoder(limits: limits)
        }
        request.parameters = parameters
        request.streamSource = .streamed(MailboxChannel(mailbox: mailbox, token: connection.token))
        start(handler, request, on: connection)
        _ = connection.state.on(.requestBodyStreamStarted, now: now)
        return true
    }

    /// A handler asks for the next chunk of its streamed body: hand over what is buffered, or wait for the
    /// client (the drive then reads, up to one buffer, and feeds it).
    func bodyDemand(token: UInt64, _ demand: BodyDemand) {
        guard let connection = connection(for: token) else {
            demand.fail(StreamError.connectionClosed)
            return
        }
        guard case .streamingRequestBody = connection.state.phase else {
            demand.end()  // the body is complete (or the exchange is over)
            return
        }
        connection.bodyDemand = demand
        _ = connection.state.on(.bodyWanted, now: now)
        drive(connection)
    }

    /// Answers a pending body demand from the buffer: the next bytes, the end of the body, or an error.
    func feedBody(_ connection: Connection) {
        guard let demand = connection.bodyDemand else { return }
        let bodyStart = connection.inputStart + connection.head.length
        var chunk: [UInt8] = []
        var complete = false
        if let remaining = connection.streamedBodyRemaining {
            let take = min(connection.inputEnd - bodyStart, remaining)
            if take > 0 {
                chunk = Array(connection.input[bodyStart..<(bodyStart + take)])
                connection.removeInput(at: bodyStart, count: take)
            }
            connection.streamedBodyRemaining = remaining - take
            complete = remaining - take == 0
        } else if var decoder = connection.chunkedDecoder {
            let result = connection.input.withUnsafeBytes { raw in
                decoder.decode(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<connection.inputEnd]), into: &chunk)
            }
            connection.chunkedDecoder = decoder
            switch result {
            case .needMore:
                connection.inputEnd = bodyStart
            case .done(let consumed):
                connection.removeInput(at: bodyStart, count: consumed)
                complete = true
            case .failed(let error):
                connection.bodyDemand = nil
                demand.fail(error == .bodyTooLarge ? RequestBodyError.tooLarge : RequestBodyError.malformed)
                connection.pendingTask = nil  // its answer is this error response
                refuse(connection, status: error.status)
                return
            }
        }
        if complete {
            _ = connection.state.on(.requestBodyComplete, now: now)
        }
        if !chunk.isEmpty {
            connection.bodyDemand = nil
            _ = connection.state.on(.bodyDelivered, now: now)
            demand.deliver(chunk)
        } else if complete {
            connection.bodyDemand = nil
            demand.end()
        }
        // Otherwise the demand waits for the client's next bytes (or the end of its input: `settle` closes
        // the connection, and `close` fails the demand).
    }
}
