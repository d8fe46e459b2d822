import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// A graceful stop: no new connections, every connection closed as soon as it is idle.
extension Worker {
    /// Stops accepting, then tells every connection (`ConnectionState.on(.drain)`): idle ones close after
    /// reading any request already on its way, new ones get a moment for their first request, busy ones
    /// close after their response (from now on every response says `Connection: close`).
    func beginDrain(deadline: Int64) {
        guard !isDraining else { return }
        isDraining = true
        drainDeadline = deadline
        // Take what is already queued (those clients have connected and may be sending), then stop.
        acceptConnections()
        stoppedAccepting = true
        if let listener {
            if acceptPausedUntil == nil { epoll.remove(listener.descriptor) }
            context.admission.listenerShutdown.workerStoppedAccepting()
        }
        for connection in live.reversed() where !connection.isClosed {
            // A request already on its way is read and answered first (its edge may not have been seen yet).
            connection.mayHaveInput = true
            drive(connection)
            guard !connection.isClosed else { continue }
            apply(connection.state.on(.drain, now: now), to: connection)
            if !connection.isClosed { updateDeadline(connection) }
        }
    }
}
