import Glibc

/// Turns SIGINT, SIGTERM and SIGUSR1 into calls on an ordinary thread (`sigwait`), never doing work
/// inside a signal handler. Created before any worker thread, so that every thread inherits the mask and
/// the signals reach only the watcher.
final class SignalWatcher: Sendable {
    static let watched: [Int32] = [SIGINT, SIGTERM, SIGUSR1]

    init() {
        var set = Self.signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Calls `handler` with each signal on a background thread, until it returns false.
    func watch(_ handler: @escaping @Sendable (Int32) -> Bool) {
        _ = try? PosixThread(name: "minihttp-signals") {
            var set = Self.signalSet()
            while true {
                var signal: Int32 = 0
                guard sigwait(&set, &signal) == 0 else { continue }
                if !handler(signal) { return }
            }
        }
    }

    /// Restores the default handling on the calling thread.
    func stop() {
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
