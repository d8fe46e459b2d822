import CSystem
import Glibc
import MiniHTTPCore

/// The CPUs this process may run on (its affinity mask, as `taskset` sets it).
package enum CPUs {
    package static var available: Int {
        let count = Int(csystem_available_cpus())
        return count > 0 ? count : max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1)
    }
}

package enum FileSystem {
    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The first line of a small text file (a `/proc/sys` setting), or nil if it cannot be read.
    package static func firstLine(of path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, Int32(line.count), file) != nil else { return nil }
        return String(nulTerminated: line).trimmingNewline
    }
}

extension String {
    fileprivate var trimmingNewline: String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}

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
