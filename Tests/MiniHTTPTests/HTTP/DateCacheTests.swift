import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Date cache")
struct DateCacheTests {
    @Test("formats IMF-fixdate and the log time, and changes only when the second does")
    func formats() {
        var cache = DateCache()
        cache.refresh(now: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example)
        #expect(String(decoding: cache.dateField, as: UTF8.self) == "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n")
        #expect(String(decoding: cache.logTime, as: UTF8.self).hasPrefix("06/Nov/1994:") || TimeZoneIsLocal.offset != 0)
        let before = cache.dateField
        cache.refresh(now: 784_111_777)
        #expect(cache.dateField == before)
        cache.refresh(now: 784_111_778)
        #expect(String(decoding: cache.dateField, as: UTF8.self) == "Date: Sun, 06 Nov 1994 08:49:38 GMT\r\n")
    }

    @Test("decimal formatting")
    func decimals() {
        for value in [0, 7, 10, 99, 12345, 1 << 40] {
            var out: [UInt8] = []
            out.appendDecimal(value)
            #expect(String(decoding: out, as: UTF8.self) == String(value))
        }
    }
}

enum TimeZoneIsLocal {
    static var offset: Int {
        var now = time(nil)
        var local = tm()
        localtime_r(&now, &local)
        return local.tm_gmtoff
    }
}
