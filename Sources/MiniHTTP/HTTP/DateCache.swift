import Glibc

/// The `Date` field (IMF-fixdate, RFC 9110 §5.6.7) and the access log's time, formatted once a second
/// rather than once a request. One per worker; no locks.
struct DateCache {
    /// `Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n`
    private(set) var dateField: [UInt8] = []
    /// `06/Nov/1994:08:49:37 +0000`, the Common Log Format's local time.
    private(set) var logTime: [UInt8] = []
    private(set) var second: Int = -1

    init() { refresh(now: time(nil)) }

    /// Re-formats if the wall-clock second has changed since the last call.
    mutating func refresh(now: time_t) {
        guard Int(now) != second else { return }
        second = Int(now)
        var seconds = now
        var utc = tm()
        gmtime_r(&seconds, &utc)
        var field: [UInt8] = []
        field.reserveCapacity(37)
        field.append(contentsOf: "Date: ".utf8)
        field.append(contentsOf: Self.weekdays[Int(utc.tm_wday)].utf8)
        field.append(contentsOf: ", ".utf8)
        Self.appendTwoDigits(Int(utc.tm_mday), to: &field)
        field.append(ASCII.space)
        field.append(contentsOf: Self.months[Int(utc.tm_mon)].utf8)
        field.append(ASCII.space)
        Self.appendDecimal(Int(utc.tm_year) + 1900, to: &field)
        field.append(ASCII.space)
        Self.appendClock(utc, to: &field)
        field.append(contentsOf: " GMT\r\n".utf8)
        dateField = field

        var local = tm()
        localtime_r(&seconds, &local)
        var log: [UInt8] = []
        log.reserveCapacity(26)
        Self.appendTwoDigits(Int(local.tm_mday), to: &log)
        log.append(ASCII.slash)
        log.append(contentsOf: Self.months[Int(local.tm_mon)].utf8)
        log.append(ASCII.slash)
        Self.appendDecimal(Int(local.tm_year) + 1900, to: &log)
        log.append(ASCII.colon)
        Self.appendClock(local, to: &log)
        let offsetMinutes = local.tm_gmtoff / 60
        log.append(ASCII.space)
        log.append(offsetMinutes < 0 ? 0x2D : ASCII.plus)
        Self.appendTwoDigits(Int(abs(offsetMinutes) / 60), to: &log)
        Self.appendTwoDigits(Int(abs(offsetMinutes) % 60), to: &log)
        logTime = log
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func appendClock(_ time: tm, to out: inout [UInt8]) {
        appendTwoDigits(Int(time.tm_hour), to: &out)
        out.append(ASCII.colon)
        appendTwoDigits(Int(time.tm_min), to: &out)
        out.append(ASCII.colon)
        appendTwoDigits(Int(time.tm_sec), to: &out)
    }

    private static func appendTwoDigits(_ value: Int, to out: inout [UInt8]) {
        out.append(ASCII.zero + UInt8(value / 10 % 10))
        out.append(ASCII.zero + UInt8(value % 10))
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        out.appendDecimal(value)
    }
}

extension Array where Element == UInt8 {
    /// Appends the decimal digits of a non-negative integer (negative values are written as 0).
    @inline(__always)
    mutating func appendDecimal(_ value: Int) {
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
