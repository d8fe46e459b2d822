import Foundation
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Feeds bytes to a `RequestParser` the way a connection does: the window grows as bytes arrive, and
/// each complete head (with its Content-Length body) is consumed before the next is parsed.
struct ParseHarness {
    struct Parsed: Equatable {
        var method: HTTPMethod
        var target: String
        var path: String
        var query: String?
        var host: String?
        var version: HTTPVersion
        var fields: [String]
        var framing: BodyFraming
        var keepAlive: Bool
    }

    enum Outcome: Equatable {
        case requests([Parsed])
        case failed(HTTPParseError, after: [Parsed])
    }

    var limits = ParserLimits()

    /// Parses `bytes` delivered in pieces ending at each of `cuts` (and the end).
    func parse(_ bytes: [UInt8], cuts: [Int] = []) -> Outcome {
        var parser = RequestParser(limits: limits)
        var head = RequestHead()
        var parsed: [Parsed] = []
        var start = 0
        var available = 0
        let deliveries = (cuts + [bytes.count]).filter { $0 > 0 && $0 <= bytes.count }
        var pendingBody = 0
        for end in deliveries {
            available = end
            while true {
                if pendingBody > 0 {
                    guard available - start >= pendingBody else { break }
                    start += pendingBody
                    pendingBody = 0
                }
                guard start < available else { break }
                let result = bytes.withUnsafeBytes { raw in
                    parser.parse(UnsafeRawBufferPointer(rebasing: raw[start..<available]), into: &head)
                }
                switch result {
                case .incomplete:
                    break
                case .failed(let error):
                    return .failed(error, after: parsed)
                case .complete:
                    parsed.append(Self.describe(head, bytes: Array(bytes[start...])))
                    start += head.length
                    if case .length(let length) = head.framing { pendingBody = length }
                    parser.reset()
                    head.reset()
                    continue
                }
                break
            }
        }
        return .requests(parsed)
    }

    static func describe(_ head: RequestHead, bytes: [UInt8]) -> Parsed {
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        return Parsed(
            method: head.method, target: text(head.target), path: text(head.path), query: head.query.map(text),
            host: head.host.map(text), version: head.version,
            fields: head.fields.map { "\(text($0.name)): \(text($0.value))" }, framing: head.framing,
            keepAlive: head.wantsKeepAlive)
    }
}

extension String {
    /// The request text with `\n` turned into CRLF, as bytes.
    var crlf: [UInt8] { Array(replacingOccurrences(of: "\n", with: "\r\n").utf8) }
}
