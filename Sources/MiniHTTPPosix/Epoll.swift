import CSystem
import Glibc
import MiniHTTPCore

/// The readiness a registration asks for, and what an event reports.
@usableFromInline  // tested on every event by the worker: inlined there, not called through `SetAlgebra`
package struct EpollEvents: OptionSet, Sendable {
    @usableFromInline package let rawValue: UInt32
    @inlinable package init(rawValue: UInt32) { self.rawValue = rawValue }

    // The kernel's values (linux/eventpoll.h, fixed by the ABI), as literals so that each test inlines to
    // one AND; the C shim's constants cannot appear in inlinable code.
    @inlinable package static var readable: EpollEvents { EpollEvents(rawValue: 0x001) }
    @inlinable package static var writable: EpollEvents { EpollEvents(rawValue: 0x004) }
    @inlinable package static var readHangUp: EpollEvents { EpollEvents(rawValue: 0x2000) }
    @inlinable package static var hangUp: EpollEvents { EpollEvents(rawValue: 0x010) }
    @inlinable package static var error: EpollEvents { EpollEvents(rawValue: 0x008) }
    @inlinable package static var edgeTriggered: EpollEvents { EpollEvents(rawValue: 1 << 31) }
    @inlinable package static var exclusive: EpollEvents { EpollEvents(rawValue: 1 << 28) }
}

/// One epoll instance with a reused event array. Each registration carries a 64-bit token chosen by the
/// owner (a connection's descriptor and generation), so a stale event for a reused descriptor is recognised.
@usableFromInline
package final class Epoll {
    package let descriptor: Int32
    @usableFromInline let events: UnsafeMutablePointer<epoll_event>
    package let capacity: Int

    package init(capacity: Int = 256) throws(SystemError) {
        let fd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard fd >= 0 else { throw SystemError("epoll_create1") }
        descriptor = fd
        self.capacity = capacity
        events = .allocate(capacity: capacity)
    }

    deinit {
        events.deallocate()
        Syscall.close(descriptor)
    }

    package func add(_ fd: Int32, events wanted: EpollEvents, token: UInt64) throws(SystemError) {
        var event = epoll_event()
        event.events = wanted.rawValue
        event.data.u64 = token
        guard epoll_ctl(descriptor, EPOLL_CTL_ADD, fd, &event) == 0 else { throw SystemError("epoll_ctl") }
    }

    package func remove(_ fd: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(descriptor, EPOLL_CTL_DEL, fd, &event)
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever); returns how many events are ready to read with
    /// `event(at:)`. A signal interrupting the wait (EINTR) counts as an empty wake-up; any other failure
    /// (EBADF, EFAULT, EINVAL: a bug, never load) is thrown, so the caller cannot spin on it.
    @inline(__always)
    package func wait(timeoutMilliseconds: Int32) throws(SystemError) -> Int {
        let count = epoll_wait(descriptor, events, Int32(capacity), timeoutMilliseconds)
        if count >= 0 { return Int(count) }
        if errno == EINTR { return 0 }
        throw SystemError("epoll_wait")
    }

    /// The token and events of the `index`th ready event of the last `wait`.
    @inlinable
    package func event(at index: Int) -> (token: UInt64, events: EpollEvents) {
        let event = events[index]
        return (event.data.u64, EpollEvents(rawValue: event.events))
    }
}
