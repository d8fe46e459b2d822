import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

/// If-Match / If-None-Match lists (RFC 9110 §8.8.3): a malformed list matches nothing, wherever its
/// garbage stands, so the answer no longer depends on the order of the elements.
@Suite("Entity-tag lists")
struct EntityTagListTests {
    @Test("well-formed lists match; malformed ones never do", arguments: [
        ("\"a\"", true), (" \"b\" , \"a\" ", true), ("W/\"a\"", true), ("*", true), (",\"a\",", true),
        ("\"b\"", false), ("\"a\"x", false), ("garbage, \"a\"", false), ("\"a\" \"b\"", false), ("\"a", false),
        ("\"a\", garbage", false), ("W/a", false),
    ])
    func lists(value: String, matches: Bool) {
        #expect(EntityTags.list(Array(value.utf8), matches: Array("\"a\"".utf8), weak: true) == matches)
    }
}
