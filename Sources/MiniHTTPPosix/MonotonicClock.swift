import Glibc
import MiniHTTPCore

/// Monotonic time, for deadlines and durations.
@usableFromInline  // read per request by the worker: inlined there, as one clock_gettime
package enum MonotonicClock {
    @inlinable
    package static func microseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
    }

    @inlinable
    package static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
