import CSystem
import Synchronization
import MiniHTTPCore

/// A value behind the standard library's `Mutex`, with the lock's hand-offs announced to ThreadSanitizer.
///
/// `Mutex` is implemented inside the standard library, which is not built with TSan, so TSan does not see
/// it order the accesses it protects and reports them as races. The two annotations below (no-ops unless
/// TSan is running) tell it what the lock guarantees, so `swift test --sanitize=thread` checks our code.
package final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    package init(_ value: Value) {
        mutex = Mutex(value)
    }

    package func withLock<Result: Sendable>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try mutex.withLock { value in
            let address = UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque())
            csystem_tsan_acquire(address)
            defer { csystem_tsan_release(address) }
            return try body(&value)
        }
    }
}
