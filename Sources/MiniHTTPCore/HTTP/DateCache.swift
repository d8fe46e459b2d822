import Glibc

/// The `Date` field (IMF-fixdate, RFC 9110 §5.6.7) and the access log's time, formatted once a second
/// rather than once a request. One per worker; no locks.
package struct DateCache {
    /// `Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n`
    package private(set) var dateField: [UInt8] = []
    /// `06/Nov/1994:08:49:37 +0000`, the Common Log Format's local time.
    package private(set) var logTime: [UInt8] = []
    package private(set) var second: Int = -1

    package init() { refresh(now: time(nil)) }

    /// Re-formats if the wall-clock second has changed since the last call.
    package mutating func refresh(now: time_t) {
        guard Int(now) != second else { return }
        second = Int(now)
        dateField = Array("Date: ".utf8) + HTTPDate.format(second) + [ASCII.carriageReturn, ASCII.lineFeed]

        var seconds = now
        var local = tm()
        localtime_r(&seconds, &local)
        var log: [UInt8] = []
        log.reserveCapacity(26)
        HTTPDate.appendTwoDigits(Int(local.tm_mday), to: &log)
        log.append(ASCII.slash)
        log.append(contentsOf: HTTPDate.months[Int(local.tm_mon)].utf8)
        log.append(ASCII.slash)
        log.appendDecimal(Int(local.tm_year) + 1900)
        log.append(ASCII.colon)
        HTTPDate.appendClock(local, to: &log)
        let offsetMinutes = local.tm_gmtoff / 60
        log.append(ASCII.space)
        log.append(offsetMinutes < 0 ? 0x2D : ASCII.plus)
        HTTPDate.appendTwoDigits(Int(abs(offsetMinutes) / 60), to: &log)
        HTTPDate.appendTwoDigits(Int(abs(offsetMinutes) % 60), to: &log)
        logTime = log
    }
}

extension Array where Element == UInt8 {
    /// Appends the decimal digits of a non-negative integer (negative values are written as 0).
    @inline(__always)
    package mutating func appendDecimal(_ value: Int) {
        guard value > 0 else {
            append(ASCII.zero)
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        var rest = value
        Swift.withUnsafeMutableBytes(of: &digits) { scratch in
            while rest > 0 {
                count += 1
                scratch[24 - count] = ASCII.zero + UInt8(rest % 10)
                rest /= 10
            }
            append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[(24 - count)...]))
        }
    }
}
