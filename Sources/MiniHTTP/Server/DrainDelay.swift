import Glibc
import Synchronization
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// The wait of `drainDelaySeconds` between "draining" and the shutdown, on its own thread, that an
/// immediate ``Server/shutdown()`` cuts short: a cancelled service does not wait out the delay. Its
/// eventfd is made only when a delay is waited out, so a server without one holds no extra descriptor.
final class DrainDelay: Sendable {
    private struct State {
        var cancelled = false
        var wake: EventFD?
    }
    private let state = Locked<State>(State())

    /// Blocks until `seconds` have passed or ``cancel()`` was called (before or during the wait).
    func wait(seconds: Int) {
        let wake = state.withLock { state -> EventFD? in
            if state.cancelled { return nil }
            if state.wake == nil { state.wake = try? EventFD() }
            return state.wake
        }
        guard let wake else { return }  // cancelled (or no descriptor left: do not delay the shutdown)
        let deadline = MonotonicClock.milliseconds() + Int64(seconds) * 1000
        var watched = pollfd(fd: wake.descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let left = deadline - MonotonicClock.milliseconds()
            guard left > 0 else { return }
            let ready = poll(&watched, 1, Int32(clamping: left))
            if ready > 0 { return }
            if ready < 0, errno != EINTR { return }
        }
    }

    /// Ends the wait at once, and every later one. Safe from any thread.
    func cancel() {
        let wake = state.withLock { state -> EventFD? in
            state.cancelled = true
            return state.wake
        }
        wake?.signal()
    }
}
