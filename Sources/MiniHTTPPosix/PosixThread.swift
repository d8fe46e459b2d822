import CSystem
import Glibc
import MiniHTTPCore

/// A started POSIX thread running a closure; `join()` waits for it.
package final class PosixThread: Sendable {
    private final class Box {
        package let body: @Sendable () -> Void
        package init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    private let thread: pthread_t

    package init(name: String, _ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let threadName = String(name.prefix(15))
        let box = Unmanaged.passRetained(Box({
            _ = csystem_set_thread_name(threadName)
            body()
        })).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            throw SystemError("pthread_create", errno: status)
        }
        self.thread = thread
    }

    package func join() {
        _ = pthread_join(thread, nil)
    }

    /// Directs `signal` at this thread (`pthread_kill`).
    package func send(signal: Int32) {
        _ = pthread_kill(thread, signal)
    }
}
