import Glibc

/// Monotonic time in milliseconds, for deadlines and durations.
enum MonotonicClock {
    @inline(__always)
    static func milliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
