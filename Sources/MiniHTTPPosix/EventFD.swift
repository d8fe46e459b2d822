import CSystem
import Glibc
import MiniHTTPCore

/// A cross-thread wake-up: another thread `signal()`s, the owning epoll loop sees the descriptor readable
/// and `drain()`s it.
package final class EventFD: Sendable {
    package let descriptor: Int32

    package init() throws(SystemError) {
        let fd = eventfd(0, csystem_EFD_NONBLOCK | csystem_EFD_CLOEXEC)
        guard fd >= 0 else { throw SystemError("eventfd") }
        descriptor = fd
    }

    deinit { Syscall.close(descriptor) }

    /// Wakes the loop that watches this descriptor. Safe from any thread.
    package func signal() {
        var one: UInt64 = 1
        // EAGAIN means the counter is saturated: the loop is certainly going to wake, nothing is lost.
        _ = withUnsafeBytes(of: &one) { write(descriptor, $0.baseAddress, 8) }
    }

    /// Resets the counter after a wake-up, so that level-triggered watching does not spin.
    package func drain() {
        var value: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &value) { read(descriptor, $0.baseAddress, 8) }
    }
}
