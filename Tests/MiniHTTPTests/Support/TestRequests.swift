@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

enum TestRequests {
    /// A request as the server would build it, parsed from a minimal head for `target`.
    static func make(method: HTTPMethod = .get, target: String, fields: [String] = []) -> Request {
        let text = "\(method) \(target) HTTP/1.1\r\nHost: test\r\n" + fields.map { $0 + "\r\n" }.joined() + "\r\n"
        let bytes = Array(text.utf8)
        var parser = RequestParser(limits: ParserLimits())
        var head = RequestHead()
        _ = bytes.withUnsafeBytes { parser.parse($0, into: &head) }
        return Request(head: head, bytes: bytes, base: 0, body: [], remoteAddress: "127.0.0.1")
    }
}
