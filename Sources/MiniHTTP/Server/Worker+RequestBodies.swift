/// Request bodies handed to a streaming-body route as they arrive, read from the socket only as its
/// handler asks for them.
extension Worker {
    /// If the request's route streams its body, starts its handler now (the body follows as it asks) and
    /// returns true; a declared body over the route's limit is answered 413 at once.
    func beginStreamingBody(_ connection: Connection) -> Bool {
        let head = connection.head
        guard head.targetForm == .origin || head.targetForm == .absolute, !head.path.isEmpty else { return false }
        var request = Request(
            head: head, bytes: connection.input, base: connection.inputStart, body: [],
            remoteAddress: connection.forwardedClient?.text ?? connection.remoteAddress,
            clientAddress: connection.forwardedClient?.address ?? connection.clientAddress)
        guard case .handler(.asyncStreamingBody(let handler, let maxBytes), let parameters) =
                context.routes.match(head.method, path: request.shifted(head.path), in: connection.input)
        else { return false }
        if case .length(let length) = head.framing, length > maxBytes {
            respondWithError(connection, status: .contentTooLarge)
            return true
        }
        if head.expectsContinue, head.version == .http1_1 {
            prepareOutput(connection)
            connection.output.append(contentsOf: ResponseEncoder.continueLine)
            connection.sentContinue = true
        }
        if case .length(let length) = head.framing {
            connection.phase = .streamingBody(remaining: length)
        } else {
            var limits = context.limits
            limits.maxBodyBytes = maxBytes
            connection.chunkedDecoder = ChunkedDecoder(limits: limits)
            connection.phase = .streamingBody(remaining: nil)
        }
        request.parameters = parameters
        request.streamSource = .streamed(handle: handle, token: connection.token)
        start(handler, request, on: connection)
        return true
    }

    /// A handler asks for the next chunk of its body: hand over what is buffered, or wait for the client.
    func bodyDemand(token: UInt64, _ demand: BodyDemand) {
        guard let connection = connection(for: token) else {
            demand.fail(StreamError.connectionClosed)
            return
        }
        guard case .streamingBody = connection.phase else {
            demand.end()  // the body is complete (or the exchange is over)
            return
        }
        connection.bodyDemand = demand
        if connection.outputBlocked {
            feedBody(connection)
        } else {
            drive(connection)
        }
    }

    /// Answers a pending body demand from the buffer: the next bytes, the end of the body, or an error.
    func feedBody(_ connection: Connection) {
        guard let demand = connection.bodyDemand, case .streamingBody(let remaining) = connection.phase else { return }
        let bodyStart = connection.inputStart + connection.head.length
        var chunk: [UInt8] = []
        var complete = false
        if let remaining {
            let take = min(connection.inputEnd - bodyStart, remaining)
            if take > 0 {
                chunk = Array(connection.input[bodyStart..<(bodyStart + take)])
                connection.removeInput(at: bodyStart, count: take)
            }
            complete = remaining - take == 0
            if !complete { connection.phase = .streamingBody(remaining: remaining - take) }
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
                respondWithError(connection, status: error.status)
                return
            }
        }
        if complete {
            connection.chunkedDecoder = nil
            connection.phase = .awaitingResponse(bodyLength: 0)
        }
        if !chunk.isEmpty {
            connection.bodyDemand = nil
            demand.deliver(chunk)
        } else if complete {
            connection.bodyDemand = nil
            demand.end()
        } else if connection.peerFinished {
            connection.bodyDemand = nil
            demand.fail(StreamError.connectionClosed)
            close(connection)
        }
    }
}
