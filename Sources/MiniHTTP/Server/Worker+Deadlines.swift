/// One deadline per connection, checked by a sweep at most every `sweepIntervalMilliseconds`.
///
/// Deadlines move on every request, so they are stored on the connection and not in a heap or wheel:
/// moving one is a store, and a sweep over the worker's connections costs O(connections) at most four
/// times a second — with 10,000 connections, 40,000 comparisons a second. An idle worker with no
/// connections sleeps without a timeout.
extension Worker {
    /// Sets the connection's one deadline.
    func arm(_ connection: Connection, _ kind: Connection.DeadlineKind, milliseconds override: Int64? = nil) {
        var milliseconds: Int64
        switch kind {
        case .none:
            connection.deadline = .max
            connection.deadlineKind = .none
            return
        case .timeout(let timeout): milliseconds = context.timeouts.milliseconds(timeout)
        case .linger: milliseconds = context.timeouts.lingerMilliseconds
        }
        if let override { milliseconds = override }
        connection.deadlineKind = kind
        connection.deadline = now + milliseconds
        earliestDeadline = min(earliestDeadline, connection.deadline)
    }

    func waitTimeout() -> Int32 {
        var wake = earliestDeadline
        if isDraining { wake = min(wake, drainDeadline) }
        guard wake != .max else { return -1 }
        let delay = max(wake, nextSweep) - now
        return Int32(clamping: max(delay, 0))
    }

    /// Expires every passed deadline and finds the next one. Runs at most every sweep interval, so its
    /// cost is bounded however often deadlines move (they move on every request).
    func sweep() {
        nextSweep = now + Self.sweepIntervalMilliseconds
        resumeAcceptingIfPaused()
        var earliest: Int64 = acceptPausedUntil ?? .max
        var index = 0
        while index < live.count {
            let connection = live[index]
            if connection.deadline <= now {
                expire(connection)
                if connection.isClosed { continue }  // another connection now sits at `index`
            }
            earliest = min(earliest, connection.deadline)
            index += 1
        }
        earliestDeadline = earliest
    }

    private func expire(_ connection: Connection) {
        switch connection.deadlineKind {
        case .none:
            connection.deadline = .max
        case .linger:
            close(connection)
        case .timeout(let kind):
            counters[timeout: kind] += 1
            switch kind {
            case .header where connection.bufferedInput == 0:
                close(connection)  // nothing was sent: nothing to answer
            case .header, .body:
                // The client is too slow: answer 408 if the socket takes it, then close.
                respondWithError(connection, status: .requestTimeout)
                _ = flush(connection)
                close(connection)
            case .idle, .write:
                close(connection)
            }
        }
    }
}
