import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Safe paths")
struct SafePathTests {
    func resolve(_ path: String) -> SafePath.Outcome { SafePath.resolve(Array(path.utf8)) }
    func relative(_ text: String, directory: Bool = false) -> SafePath.Outcome {
        .relative(Array(text.utf8), isDirectory: directory)
    }

    @Test("ordinary paths resolve beneath the root", arguments: [
        ("/", "", true), ("/index.html", "index.html", false), ("/a/b/c.css", "a/b/c.css", false),
        ("/a//b", "a/b", false), ("/a/./b", "a/b", false), ("/a/x/../b", "a/b", false),
        ("/dir/", "dir", true), ("/caf%C3%A9.txt", "café.txt", false), ("/a%20b", "a b", false),
        ("/.well-known/security.txt", ".well-known/security.txt", false),
    ])
    func resolves(_ path: String, _ expected: String, _ directory: Bool) {
        #expect(resolve(path) == relative(expected, directory: directory))
    }

    @Test("traversal, encoded separators, NUL, backslashes and dot-files are refused", arguments: [
        "/..", "/../etc/passwd", "/a/../../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2e/etc/passwd",
        "/a%2f..%2f..%2fetc/passwd", "/a%2Fb", "/..%5c..%5cetc", "/a\\b", "/a%00.html", "/.env", "/.git/config",
        "/a/.hidden", "/.well-known/.secret", "relative",
    ])
    func refuses(_ path: String) {
        #expect(resolve(path) == .refused)
    }

    @Test("double-encoded dots stay literal names, never dot-segments")
    func doubleEncoded() {
        #expect(resolve("/%252e%252e/etc/passwd") == relative("%2e%2e/etc/passwd"))
    }

    @Test("a malformed escape is a bad request")
    func malformed() {
        #expect(resolve("/a%zz") == .malformed)
        #expect(resolve("/a%2") == .malformed)
    }
}
