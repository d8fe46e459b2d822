import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

/// `Accept-Encoding` (RFC 9110 §12.5.3): gzip only when the client accepts it with a weight above zero;
/// a malformed weight counts as zero (as nginx reads it), and every line of a split field counts.
@Suite("gzip negotiation")
struct GzipNegotiationTests {
    @Test("gzip is chosen only for a valid weight above zero", arguments: [
        ("gzip", true), ("GZIP", true), ("x-gzip", true), ("deflate, br", false), ("*", true), ("*;q=0", false),
        ("gzip;q=0", false), ("gzip;q=0.000", false), ("gzip;q=0.001", true), ("gzip;q=1", true), ("gzip;q=1.000", true),
        ("gzip ; q=0.5 , br", true), ("gzip;q = 0", false), ("gzip;q=\"0\"", false), ("gzip;q=", false),
        ("gzip;q=0.0001", false), ("gzip;q=1.5", false), ("gzip;q=2", false), ("gzip;q", false),
        ("gzip;level=1", true), ("gzip;q=0, *", false), ("*;q=0.5, gzip;q=0", false),
    ])
    func weights(value: String, accepted: Bool) {
        #expect(Gzip.isAccepted(by: Array(value.utf8)) == accepted)
    }

    @Test("every Accept-Encoding line counts: gzip named on the second line is accepted")
    func splitField() {
        let request = TestRequests.make(target: "/", fields: ["Accept-Encoding: br", "Accept-Encoding: gzip"])
        #expect(Gzip.isAccepted(by: request.headers))
        let refused = TestRequests.make(target: "/", fields: ["Accept-Encoding: gzip", "Accept-Encoding: gzip;q=0"])
        #expect(!Gzip.isAccepted(by: refused.headers))
    }
}
