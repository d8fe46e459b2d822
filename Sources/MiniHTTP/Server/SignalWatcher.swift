import CSystem
import Glibc

/// Turns SIGINT, SIGTERM and SIGUSR1 into calls on an ordinary thread (a `signalfd`), never doing work
/// inside a signal handler. Created before any worker thread, so that every thread inherits the mask and
/// the signals reach only the watcher. ``stop()`` ends and joins the thread, which lets go of the handler
/// (and the server it captured).
final class SignalWatcher: Sendable {
    static let watched: [Int32] = [SIGINT, SIGTERM, SIGUSR1]
    private let wake: EventFD?
    private let thread = Locked<PosixThread?>(nil)

    init() {
        var set = Self.signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        wake = try? EventFD()
    }

    /// Calls `handler` with each signal on a background thread, until it returns false or ``stop()``.
    /// - Throws: ``SystemError`` when the descriptors or the thread cannot be made.
    func watch(_ handler: @escaping @Sendable (Int32) -> Bool) throws(SystemError) {
        guard let wake else { throw SystemError("eventfd", errno: EMFILE) }
        var set = Self.signalSet()
        let fd = signalfd(-1, &set, O_CLOEXEC)  // SFD_CLOEXEC is O_CLOEXEC
        guard fd >= 0 else { throw SystemError("signalfd") }
        let started = try PosixThread(name: "minihttp-signals") {
            defer { Syscall.close(fd) }
            var watched = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wake.descriptor, events: Int16(POLLIN), revents: 0)]
            while true {
                guard poll(&watched, 2, -1) >= 0 else {
                    if errno == EINTR { continue }
                    return
                }
                if watched[1].revents != 0 { return }  // stop()
                guard watched[0].revents != 0 else { continue }
                var info = signalfd_siginfo()
                let size = MemoryLayout<signalfd_siginfo>.size
                guard read(fd, &info, size) == size else { continue }
                if !handler(Int32(info.ssi_signo)) { return }
            }
        }
        thread.withLock { $0 = started }
    }

    /// Ends the watching thread, waits for it, and restores the default handling on the calling thread.
    func stop() {
        wake?.signal()
        let running = thread.withLock { current in
            defer { current = nil }
            return current
        }
        running?.join()
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
