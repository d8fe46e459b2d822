import Glibc
import Synchronization
import MiniHTTPCore

/// Turns SIGINT, SIGTERM and SIGUSR1 into calls on an ordinary thread (`sigwait`), never doing work
/// inside a signal handler. Created before any worker thread, so that every thread inherits the mask and
/// the signals reach only the watcher. ``stop()`` ends and joins the thread, which lets go of the handler
/// (and the server it captured). No descriptor is used: a process short of them still stops cleanly.
package final class SignalWatcher: Sendable {
    package static let watched: [Int32] = [SIGINT, SIGTERM, SIGUSR1]
    private let thread = Locked<PosixThread?>(nil)
    private let stopping = Atomic<Bool>(false)

    package init() {
        var set = Self.signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Calls `handler` with each signal on a background thread, until it returns false or ``stop()``.
    /// - Throws: ``SystemError`` when the thread cannot be made.
    package func watch(_ handler: @escaping @Sendable (Int32) -> Bool) throws(SystemError) {
        let started = try PosixThread(name: "minihttp-signals") { [self] in
            var set = Self.signalSet()
            while true {
                var signal: Int32 = 0
                guard sigwait(&set, &signal) == 0 else { continue }
                if self.stopping.load(ordering: .acquiring) || !handler(signal) { return }
            }
        }
        thread.withLock { $0 = started }
    }

    /// Ends the watching thread (a SIGUSR1 directed at it, after `stopping` is set), waits for it, and
    /// restores the default handling on the calling thread.
    package func stop() {
        stopping.store(true, ordering: .releasing)
        let running = thread.withLock { current in
            defer { current = nil }
            return current
        }
        if let running {
            running.send(signal: SIGUSR1)
            running.join()
        }
        var set = Self.signalSet()
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in watched { sigaddset(&set, signal) }
        return set
    }
}
