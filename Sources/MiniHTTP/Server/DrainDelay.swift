import Glibc

/// The wait of `drainDelaySeconds` between "draining" and the shutdown, on its own thread, that an
/// immediate ``Server/shutdown()`` cuts short: a cancelled service does not wait out the delay.
final class DrainDelay: Sendable {
    private let wake: EventFD

    init() throws(SystemError) {
        wake = try EventFD()
    }

    /// Blocks until `seconds` have passed or ``cancel()`` was called (before or during the wait).
    func wait(seconds: Int) {
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

    /// Ends the wait at once. Safe from any thread.
    func cancel() { wake.signal() }
}
