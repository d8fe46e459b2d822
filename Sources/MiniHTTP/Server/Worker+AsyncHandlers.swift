import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Async handlers: each runs as a task on Swift concurrency's executor; its response comes back through
/// the owning worker's mailbox (`WorkerMessage.response`) and is written in order.
extension Worker {
    /// Starts an async handler as a task; its response comes back through this worker's mailbox.
    func start(_ handler: @escaping AsyncHandler, _ request: Request, on connection: Connection) {
        let mailbox = self.mailbox
        let logger = self.logger
        let token = connection.token
        let sequence = connection.requestsServed
        connection.pendingTask = Task {
            let response: Response
            do {
                response = try await handler(request)
                if let error = response.error, !Task.isCancelled {
                    if response.status.code >= 500 {
                        logger.error("handler for \(request.method) \(request.rawPath) threw: \(error)")
                    } else {
                        logger.debug("handler for \(request.method) \(request.rawPath) threw: \(error)")
                    }
                }
            } catch {
                if Task.isCancelled { return }
                response = HandlerFailure.response(for: error, to: request, format: request.errorFormat, logger: logger)
            }
            guard !Task.isCancelled else { return }
            mailbox.send(.response(token: token, sequence: sequence, response))
        }
    }

    /// An async handler's response arrived: write it, then go on with what the client pipelined behind it.
    /// A response for a connection that has closed meanwhile (or for another one that reuses its
    /// descriptor) is dropped.
    func resume(token: UInt64, sequence: Int, with response: Response) {
        guard let connection = connection(for: token), connection.requestsServed == sequence else { return }
        switch connection.state.phase {
        case .awaitingHandler:
            connection.pendingTask = nil
            answer(connection, with: response)
        case .streamingRequestBody:
            // The handler answered before reading its whole body: answer, then close (the rest is unread).
            connection.pendingTask = nil
            connection.bodyDemand?.fail(StreamError.connectionClosed)
            connection.bodyDemand = nil
            connection.bufferedBodyLength = 0
            answer(connection, with: response, close: true)
        default:
            return
        }
        drive(connection)
    }
}
