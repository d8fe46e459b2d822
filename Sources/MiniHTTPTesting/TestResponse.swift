import Foundation
import MiniHTTP

/// A response as the server wrote it: parsed from the bytes that came out of the connection.
///
/// ```swift
/// let response = try await client.get("/todos")
/// #expect(response.status == .ok)
/// #expect(response.headers["Content-Type"] == "application/json")
/// let todos = try response.decode([Todo].self)
/// ```
public struct TestResponse: Sendable {
    /// How the body was delimited on the wire (RFC 9112 §6.3).
    public enum Framing: Sendable, Equatable {
        /// `Content-Length` bytes.
        case contentLength(Int)
        /// `Transfer-Encoding: chunked`, in this many data chunks (the last, empty chunk not counted).
        case chunked(chunks: Int)
        /// Neither: the body ran until the server closed the connection.
        case closeDelimited
        /// No body by definition: a response to HEAD, a 1xx, 204 or 304.
        case none
    }

    /// The protocol version on the status line, such as `HTTP/1.1`.
    public let version: String
    /// The status code, with the reason phrase as sent.
    public let status: Status
    /// The header fields as received, in order; `headers["name"]` looks one up without regard to case.
    public let headers: TestHeaders
    /// The body, de-chunked; empty for a response to HEAD.
    public let body: [UInt8]
    /// The bytes of this response exactly as they came out of the connection: head and body (chunked
    /// framing included). Interim (1xx) responses before it are in ``interim``.
    public let wire: [UInt8]
    /// How the body was delimited.
    public let framing: Framing
    /// The method of the request this answers: a response to HEAD has no body whatever its fields say.
    public let requestMethod: HTTPMethod
    /// The interim responses (`100 Continue` …) that came before this one, in order.
    public let interim: [TestResponse]
    /// The request's version: an HTTP/1.1 request must get a length or chunked framing, not a close.
    let requestVersion: HTTPVersion
    /// Bytes that followed a complete response when no further response was expected: a body written
    /// where none belongs (on HEAD, 204, 304) or a length that understated the body.
    var unexpectedBytes: [UInt8] = []

    init(
        version: String, status: Status, headers: [HTTPField], body: [UInt8], wire: [UInt8], framing: Framing,
        requestMethod: HTTPMethod, requestVersion: HTTPVersion, interim: [TestResponse] = []
    ) {
        self.version = version
        self.status = status
        self.headers = TestHeaders(headers)
        self.body = body
        self.wire = wire
        self.framing = framing
        self.requestMethod = requestMethod
        self.requestVersion = requestVersion
        self.interim = interim
    }

    /// Parses one complete response from `wire` (bytes a server wrote, or crafted ones, to check
    /// ``validate()`` on), answering a `requestMethod` request. A close-delimited body runs to the end of
    /// `wire`; interim 1xx responses before it land in ``interim``; bytes after it are a framing fault
    /// that ``validate()`` reports.
    /// - Throws: ``TestClientError/malformedResponse(_:)`` when the bytes are not a response or cannot be
    ///   framed; ``TestClientError/connectionClosed(receivedBytes:)`` when they end inside one.
    public init(parsing wire: [UInt8], requestMethod: HTTPMethod = .get) throws(TestClientError) {
        var rest = wire[...]
        var interim: [TestResponse] = []
        while true {
            guard let (response, consumed) = try ResponseParser.parse(
                rest, method: requestMethod, version: .http1_1, atEnd: true)
            else { throw .connectionClosed(receivedBytes: rest.count) }
            rest = rest.dropFirst(consumed)
            if response.isInterim {
                interim.append(response)
                continue
            }
            self = response.with(interim: interim, unexpected: Array(rest))
            return
        }
    }

    /// The body as UTF-8 text (invalid sequences replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Decodes the body as JSON, with ISO 8601 dates unless `decoder` says otherwise.
    public func decode<T: Decodable>(_ type: T.Type = T.self, decoder: JSONDecoder? = nil) throws -> T {
        try (decoder ?? Self.defaultDecoder()).decode(type, from: Data(body))
    }

    static func defaultDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// 1xx other than 101 (which ends HTTP/1.1 on the connection): another response follows.
    var isInterim: Bool { status.code >= 100 && status.code < 200 && status.code != 101 }

    func with(interim: [TestResponse], unexpected: [UInt8]) -> TestResponse {
        var copy = TestResponse(
            version: version, status: status, headers: headers.fields, body: body, wire: wire, framing: framing,
            requestMethod: requestMethod, requestVersion: requestVersion, interim: interim)
        copy.unexpectedBytes = unexpected
        return copy
    }
}

extension TestResponse {
    /// `Connection: close`: the server ends the connection after this response.
    var asksToClose: Bool {
        headers.values("Connection").contains { value in
            value.split(separator: ",").contains { $0.trimmingSpaces.lowercased() == "close" }
        }
    }
}
