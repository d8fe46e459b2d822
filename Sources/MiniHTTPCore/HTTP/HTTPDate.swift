import Glibc

/// HTTP dates (RFC 9110 §5.6.7): IMF-fixdate out; IMF-fixdate, RFC 850 and asctime in, as recipients must.
package enum HTTPDate {
    package static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    package static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`
    package static func format(_ seconds: Int) -> [UInt8] {
        var value = time_t(seconds)
        var utc = tm()
        gmtime_r(&value, &utc)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        out.append(contentsOf: weekdays[Int(utc.tm_wday)].utf8)
        out.append(contentsOf: ", ".utf8)
        appendTwoDigits(Int(utc.tm_mday), to: &out)
        out.append(ASCII.space)
        out.append(contentsOf: months[Int(utc.tm_mon)].utf8)
        out.append(ASCII.space)
        out.appendDecimal(Int(utc.tm_year) + 1900)
        out.append(ASCII.space)
        appendClock(utc, to: &out)
        out.append(contentsOf: " GMT".utf8)
        return out
    }

    package static func appendClock(_ time: tm, to out: inout [UInt8]) {
        appendTwoDigits(Int(time.tm_hour), to: &out)
        out.append(ASCII.colon)
        appendTwoDigits(Int(time.tm_min), to: &out)
        out.append(ASCII.colon)
        appendTwoDigits(Int(time.tm_sec), to: &out)
    }

    package static func appendTwoDigits(_ value: Int, to out: inout [UInt8]) {
        out.append(ASCII.zero + UInt8(value / 10 % 10))
        out.append(ASCII.zero + UInt8(value % 10))
    }

    /// Seconds since the epoch, or nil for anything that is not one of the three formats.
    package static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int? {
        let text = Array(bytes)
        guard let comma = text.firstIndex(of: ASCII.comma) else { return parseAsctime(text) }
        var scanner = Scanner(text, at: comma + 1)
        guard scanner.skip(ASCII.space) else { return nil }
        if comma == 3 {
            // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            guard let day = scanner.digits(2), scanner.skip(ASCII.space), let month = scanner.month(),
                  scanner.skip(ASCII.space), let year = scanner.digits(4), scanner.skip(ASCII.space),
                  let clock = scanner.clock(), scanner.literal(" GMT"), scanner.atEnd
            else { return nil }
            return seconds(year: year, month: month, day: day, clock: clock)
        }
        // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (a two-digit year more than 50 years ahead is in the past)
        guard let day = scanner.digits(2), scanner.skip(0x2D), let month = scanner.month(), scanner.skip(0x2D),
              let shortYear = scanner.digits(2), scanner.skip(ASCII.space), let clock = scanner.clock(),
              scanner.literal(" GMT"), scanner.atEnd
        else { return nil }
        return seconds(year: shortYear < 70 ? 2000 + shortYear : 1900 + shortYear, month: month, day: day, clock: clock)
    }

    /// asctime: Sun Nov  6 08:49:37 1994
    private static func parseAsctime(_ text: [UInt8]) -> Int? {
        guard text.count == 24 else { return nil }
        var scanner = Scanner(text, at: 4)
        guard let month = scanner.month(), scanner.skip(ASCII.space) else { return nil }
        if text[8] == ASCII.space { scanner.index += 1 }
        guard let day = scanner.digits(text[8] == ASCII.space ? 1 : 2), scanner.skip(ASCII.space),
              let clock = scanner.clock(), scanner.skip(ASCII.space), let year = scanner.digits(4), scanner.atEnd
        else { return nil }
        return seconds(year: year, month: month, day: day, clock: clock)
    }

    private static func seconds(year: Int, month: Int, day: Int, clock: (Int, Int, Int)) -> Int? {
        guard (1...31).contains(day), clock.0 < 24, clock.1 < 60, clock.2 < 61 else { return nil }
        var value = tm()
        value.tm_year = Int32(year - 1900)
        value.tm_mon = Int32(month)
        value.tm_mday = Int32(day)
        value.tm_hour = Int32(clock.0)
        value.tm_min = Int32(clock.1)
        value.tm_sec = Int32(clock.2)
        return Int(timegm(&value))
    }

    private struct Scanner {
        package let text: [UInt8]
        package var index: Int

        package init(_ text: [UInt8], at index: Int) {
            self.text = text
            self.index = index
        }

        package var atEnd: Bool { index == text.count }

        package mutating func skip(_ byte: UInt8) -> Bool {
            guard index < text.count, text[index] == byte else { return false }
            index += 1
            return true
        }

        package mutating func literal(_ string: String) -> Bool {
            for byte in string.utf8 where !skip(byte) { return false }
            return true
        }

        package mutating func digits(_ count: Int) -> Int? {
            guard index + count <= text.count else { return nil }
            var value = 0
            for _ in 0..<count {
                guard ASCII.isDigit(text[index]) else { return nil }
                value = value * 10 + Int(text[index] - ASCII.zero)
                index += 1
            }
            return value
        }

        package mutating func month() -> Int? {
            guard index + 3 <= text.count else { return nil }
            let name = String(decoding: text[index..<(index + 3)], as: UTF8.self)
            guard let month = HTTPDate.months.firstIndex(of: name) else { return nil }
            index += 3
            return month
        }

        package mutating func clock() -> (Int, Int, Int)? {
            guard let hour = digits(2), skip(ASCII.colon), let minute = digits(2), skip(ASCII.colon),
                  let second = digits(2)
            else { return nil }
            return (hour, minute, second)
        }
    }
}
