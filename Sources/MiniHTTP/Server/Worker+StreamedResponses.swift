import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Streamed response bodies (`Response.stream`): the producer runs as a task; each part comes back
/// through the worker's mailbox, is framed into the output (a chunk, for HTTP/1.1) and written; the
/// producer is held back while the client is behind.
extension Worker {
    /// Output a stream may have waiting before its producer is held back.
    static let streamHighWater = 64 * 1024

    /// Runs a streamed body's producer as a task; its writes come back through this worker's mailbox.
    func startStream(_ source: StreamSource, on connection: Connection) {
        let mailbox = self.mailbox
        let logger = self.logger
        let token = connection.token
        connection.pendingTask = Task {
            do {
                try await source.produce(BodyWriter(channel: MailboxChannel(mailbox: mailbox, token: token)))
                mailbox.send(.streamEnd(token: token, failed: false))
            } catch {
                if !(error is StreamError), !Task.isCancelled { logger.error("a streamed body failed: \(error)") }
                mailbox.send(.streamEnd(token: token, failed: true))
            }
        }
    }

    /// Whether the connection is sending a streamed body framed as chunks (HTTP/1.1).
    private func streamIsChunked(_ connection: Connection) -> Bool {
        if case .streamingResponse(_, let chunked) = connection.state.phase { return chunked }
        return false
    }

    /// The producer's next part: framed into the output and written; the producer may go on at once if
    /// the client keeps up, else once it has read enough. Refused if the connection has gone.
    func streamWrite(token: UInt64, _ bytes: [UInt8], _ acknowledgement: StreamAcknowledgement) {
        guard let connection = connection(for: token), case .streamingResponse = connection.state.phase else {
            acknowledgement.refused()
            return
        }
        prepareOutput(connection)
        let before = connection.output.count
        if streamIsChunked(connection) {
            ResponseEncoder.appendChunk(bytes, to: &connection.output)
        } else {
            connection.output.append(contentsOf: bytes)
        }
        connection.ledger.didQueue(connection.output.count - before)
        _ = connection.state.on(.queued, now: now)
        connection.streamAcknowledgement = acknowledgement
        drive(connection)
    }

    /// Lets a waiting producer go on once the unsent output is below the high-water mark.
    func releaseStreamProducerIfRoom(_ connection: Connection) {
        guard let acknowledgement = connection.streamAcknowledgement,
              connection.pendingOutputBytes < Self.streamHighWater
        else { return }
        connection.streamAcknowledgement = nil
        acknowledgement.accepted()
    }

    /// The producer finished: end the body (the last chunk), then go on with the connection's next request
    /// — or, if it failed, close without ending the body, so the client sees it was cut short.
    func streamEnd(token: UInt64, failed: Bool) {
        guard let connection = connection(for: token), case .streamingResponse = connection.state.phase else { return }
        connection.pendingTask = nil
        if !failed, streamIsChunked(connection) {
            prepareOutput(connection)
            connection.output.append(contentsOf: ResponseEncoder.lastChunk)
            connection.ledger.didQueue(ResponseEncoder.lastChunk.count)
            _ = connection.state.on(.queued, now: now)
        }
        connection.ledger.streamEnded()
        _ = connection.state.on(
            .responseStreamEnded(cut: failed, bytesFollow: connection.bufferedInput > 0), now: now)
        drive(connection)
    }
}
