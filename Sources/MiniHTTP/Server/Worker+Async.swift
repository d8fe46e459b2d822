/// Work that finishes after its request: async handlers' responses and streamed response bodies, both
/// handed back to the owning worker through its mailbox.
extension Worker {
    /// An async handler's response arrived: write it, then go on with what the client pipelined behind it.
    /// A response for a connection that has closed meanwhile (or for another one that reuses its
    /// descriptor) is dropped.
    func resume(token: UInt64, sequence: Int, with response: Response) {
        guard let connection = connection(for: token), connection.requestsServed == sequence else { return }
        let bodyLength: Int
        switch connection.phase {
        case .awaitingResponse(let length):
            bodyLength = length
        case .streamingBody:
            // The handler answered before reading its whole body: answer, then close (the rest is unread).
            bodyLength = 0
            connection.bodyDemand?.fail(StreamError.connectionClosed)
            connection.bodyDemand = nil
            connection.chunkedDecoder = nil
            connection.phase = .closing
            connection.closeAfterOutput = true
            connection.lingerOnClose = true
        default:
            return
        }
        connection.pendingTask = nil
        if connection.phase != .closing { connection.phase = .head }
        complete(connection, with: response, bodyLength: bodyLength)
        drive(connection)
    }

    /// Runs a streamed body's producer as a task; its writes come back through this worker's mailbox.
    func startStream(_ source: StreamSource, on connection: Connection) {
        let handle = self.handle
        let logger = self.logger
        let token = connection.token
        connection.pendingTask = Task {
            do {
                try await source.produce(BodyWriter(handle: handle, token: token))
                handle.send(.streamEnd(token: token, failed: false))
            } catch {
                if !(error is StreamError), !Task.isCancelled { logger.error("a streamed body failed: \(error)") }
                handle.send(.streamEnd(token: token, failed: true))
            }
        }
        arm(connection, .none)
    }

    /// Output a stream may have waiting before its producer is held back.
    static let streamHighWater = 64 * 1024

    /// The producer's next part: framed into the output and written; the producer may go on at once if
    /// the client keeps up, else once it has read enough. Refused if the connection has gone.
    func streamWrite(token: UInt64, _ bytes: [UInt8], _ acknowledgement: StreamAcknowledgement) {
        guard let connection = connection(for: token), case .streaming(_, let chunked) = connection.phase else {
            acknowledgement.refused()
            return
        }
        prepareOutput(connection)
        if chunked {
            ResponseEncoder.appendChunk(bytes, to: &connection.output)
        } else {
            connection.output.append(contentsOf: bytes)
        }
        connection.streamAcknowledgement = acknowledgement
        if connection.outputBlocked {
            releaseStreamProducerIfRoom(connection)
        } else {
            drive(connection)
        }
    }

    /// Lets a waiting producer go on once the unsent output is below the high-water mark.
    func releaseStreamProducerIfRoom(_ connection: Connection) {
        guard let acknowledgement = connection.streamAcknowledgement,
              connection.output.count - connection.outputSent < Self.streamHighWater
        else { return }
        connection.streamAcknowledgement = nil
        acknowledgement.accepted()
    }

    /// The producer finished: end the body (the last chunk), then go on with the connection's next request
    /// — or, if it failed, close without ending the body, so the client sees it was cut short.
    func streamEnd(token: UInt64, failed: Bool) {
        guard let connection = connection(for: token), case .streaming(let keepAlive, let chunked) = connection.phase
        else { return }
        connection.pendingTask = nil
        if !failed, chunked { connection.output.append(contentsOf: ResponseEncoder.lastChunk) }
        if !failed, keepAlive {
            connection.phase = .head
        } else {
            connection.phase = .closing
            connection.closeAfterOutput = true
        }
        if !connection.outputBlocked { drive(connection) }
    }

    /// Starts an async handler as a task; its response comes back through this worker's mailbox.
    func start(_ handler: @escaping AsyncHandler, _ request: Request, on connection: Connection) {
        let handle = self.handle
        let logger = self.logger
        let token = connection.token
        let sequence = connection.requestsServed
        connection.pendingTask = Task {
            let response: Response
            do {
                response = try await handler(request)
            } catch {
                if Task.isCancelled { return }
                logger.error("handler for \(request.method) \(request.rawPath) threw: \(error)")
                response = .text("Internal Server Error\n", status: .internalServerError)
            }
            guard !Task.isCancelled else { return }
            handle.send(.response(token: token, sequence: sequence, response))
        }
        arm(connection, .none)
    }
}
