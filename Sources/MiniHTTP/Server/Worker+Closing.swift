import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Carrying out what a connection's state decided: closing, lingering, timing out — and, after every
/// event, settling (`ConnectionState.Event.settled`) and re-deriving the one deadline.
extension Worker {
    /// Carries out `action` on `connection`.
    func apply(_ action: ConnectionState.Action, to connection: Connection) {
        switch action {
        case .none:
            return
        case .close:
            close(connection)
        case .linger:
            // Shut down sending (the client sees our FIN after the response) and discard what it still
            // sends until it closes or the linger deadline passes.
            shutdown(connection.descriptor, Int32(SHUT_WR))
            connection.inputStart = 0  // nothing more is parsed: the buffer goes back to the pool
            connection.inputEnd = 0
            releaseBuffers(connection)
            updateDeadline(connection)
            discardInput(connection)
        case .timedOut(let kind, let answer):
            counters[timeout: kind] += 1
            if let answer {
                // The client is too slow: answer if the socket takes it, then close.
                if !connection.hasHead { connection.requestStartMicros = nowMicros }
                queue(CannedResponse.error(answer.status), on: connection, keepAlive: false)
                writeBeforeClosing(connection)
            }
            close(connection)
        }
    }

    /// The end of every event: lets the state decide whether the connection ends here, gives an idle
    /// connection's buffers back, and re-derives its deadline.
    func settle(_ connection: Connection) {
        guard !connection.isClosed else { return }
        let inputPending = connection.bufferedInput > 0 || connection.mayHaveInput
        apply(connection.state.on(.settled(inputPending: inputPending), now: now), to: connection)
        guard !connection.isClosed else { return }
        if connection.bufferedInput == 0, !connection.hasPendingOutput, case .idle = connection.state.phase {
            releaseBuffers(connection)
        }
        updateDeadline(connection)
    }

    /// Stores the state's deadline for the sweep.
    func updateDeadline(_ connection: Connection) {
        let deadline = connection.state.deadline(context.connections.timeouts) ?? .max
        connection.deadline = deadline
        if deadline < earliestDeadline { earliestDeadline = deadline }
    }

    /// Closes at once: frees the descriptor (which deregisters it), returns the buffers to the pool,
    /// cancels what runs for the connection, and accounts for responses that never fully left.
    func close(_ connection: Connection) {
        if !connection.isClosed { _ = connection.state.on(.reset, now: now) }
        guard connections.indices.contains(Int(connection.descriptor)),
              connections[Int(connection.descriptor)] === connection
        else { return }
        if connection.state.input == .ended { counters.closedByPeer += 1 }
        Syscall.close(connection.descriptor)
        connections[Int(connection.descriptor)] = nil
        let last = live.removeLast()
        if last !== connection {
            live[connection.listIndex] = last
            last.listIndex = connection.listIndex
        }
        finishResponses(connection, all: true)
        connection.inputStart = 0
        connection.inputEnd = 0
        connection.tail = nil
        connection.output.removeAll(keepingCapacity: true)
        connection.outputSent = 0
        releaseBuffers(connection)
        connection.chunkedBody = []
        if let task = connection.pendingTask {
            task.cancel()
            connection.pendingTask = nil
            counters.abandonedResponses += 1
        }
        connection.streamAcknowledgement?.refused()
        connection.streamAcknowledgement = nil
        connection.bodyDemand?.fail(StreamError.connectionClosed)
        connection.bodyDemand = nil
        counters.closed += 1
        context.admission.limiter.release(connection.peerAddress)
    }

    /// One attempt to write what is queued before a close (a timeout's 408): never waits for the client.
    private func writeBeforeClosing(_ connection: Connection) {
        while connection.hasPendingOutput {
            guard case .bytes = writeSome(connection) else { return }
        }
    }

    /// The most input one call of `discardInput` drops: a fast sender cannot hold the worker. The rest is
    /// dropped on the next turn of the loop (`revisits`), after the other connections' events.
    static let discardBytesPerTurn = 256 * 1024

    /// Reads and drops what the client still sends: during a lingering close, and while the answer to a
    /// request whose body is not read is written (so a client that sends its whole body before it reads
    /// cannot deadlock with us). Closes on EOF or error when lingering.
    func discardInput(_ connection: Connection) {
        var discarded = 0
        while !connection.isClosed, discarded < Self.discardBytesPerTurn {
            let result = discard.withUnsafeMutableBytes { raw -> IOResult in
                guard let base = raw.baseAddress else { return .failed(EINVAL) }
                return Syscall.receive(connection.descriptor, into: base, count: raw.count)
            }
            switch result {
            case .bytes(0):
                connection.mayHaveInput = false
                apply(connection.state.on(.endOfInput, now: now), to: connection)
                return
            case .failed:
                apply(connection.state.on(.reset, now: now), to: connection)
            case .bytes(let count):
                discarded += count
                _ = connection.state.on(.bytesRead, now: now)
            case .wouldBlock:
                connection.mayHaveInput = false
                if connection.state.isLingering { updateDeadline(connection) }
                return
            }
        }
        guard !connection.isClosed else { return }
        revisits.append(connection)  // stopped at the bound: more may wait, and no edge need come for it
        if connection.state.isLingering { updateDeadline(connection) }
    }
}
