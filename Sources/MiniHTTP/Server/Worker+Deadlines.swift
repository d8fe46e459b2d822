import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// The sweep that fires deadlines. Each connection has one deadline, derived from its state
/// (`ConnectionState.deadline`) after every event and stored on it; the sweep compares, and a passed
/// one becomes a `.timer` event.
///
/// Deadlines move on every request, so they are stored on the connection and not in a heap or wheel:
/// moving one is a store, and a sweep over the worker's connections costs O(connections) at most four
/// times a second — with 10,000 connections, 40,000 comparisons a second. An idle worker with no
/// connections sleeps without a timeout.
extension Worker {
    func waitTimeout() -> Int32 {
        var wake = earliestDeadline
        if isDraining { wake = min(wake, drainDeadline) }
        if let paused = acceptPausedUntil { wake = min(wake, paused) }
        guard wake != .max else { return -1 }
        let delay = max(wake, nextSweep) - now
        return Int32(clamping: max(delay, 0))
    }

    /// Fires every passed deadline and finds the next one. Runs at most every sweep interval (or when the
    /// earliest deadline is due), so its cost is bounded however often deadlines move.
    func sweep() {
        nextSweep = now + Self.sweepIntervalMilliseconds
        resumeAcceptingIfPaused()
        var earliest: Int64 = .max
        var index = 0
        while index < live.count {
            let connection = live[index]
            if connection.deadline <= now {
                // The stored deadline is re-derived first: the state is the authority, the store a cache.
                if let deadline = connection.state.deadline(context.connections.timeouts), deadline <= now {
                    apply(connection.state.on(.timer, now: now), to: connection)
                    if connection.isClosed { continue }  // another connection now sits at `index`
                }
                updateDeadline(connection)
            }
            earliest = min(earliest, connection.deadline)
            index += 1
        }
        earliestDeadline = earliest
    }
}
