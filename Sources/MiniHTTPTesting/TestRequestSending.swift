import Foundation
import MiniHTTP

/// What sends requests to the server under test: a ``TestClient`` (reusing one connection, reconnecting
/// when the server closes it) or a ``TestConnection`` (one connection, as it is).
public protocol TestRequestSending: Sendable {
    /// How long a request may take, from its first byte written to its response's last byte read.
    var timeout: Duration { get }

    /// Sends one HTTP/1.1 request and returns its response (after any 1xx interim ones).
    ///
    /// `Host: localhost` is added unless `headers` has a `Host`; a body is framed with `Content-Length`
    /// (POST, PUT and PATCH always; `Content-Length: 0` without a body), or chunked in pieces of
    /// `chunkSize` bytes when given, unless `headers` already frames it.
    /// - Throws: ``TestClientError`` when no response came (timeout, closed, malformed), and
    ///   ``TestResponseError`` when the response breaks its framing (unless `validatesResponses` is false).
    func execute(
        _ method: HTTPMethod, _ target: String, headers: TestRequestHeaders, body: [UInt8]?, chunkSize: Int?
    ) async throws -> TestResponse

    /// Sends `bytes` exactly as given and returns the responses: by default one for each complete request
    /// in them (read with the server's own parser: a HEAD gets no body; a request the server must refuse
    /// gets its error response), ending early if the server closes, interim 1xx responses folded into the
    /// final ones (``TestResponse/interim``); or exactly `count` responses, interim ones counted (to see a
    /// `100 Continue` before sending the body), waiting for them all. Responses are not validated: call
    /// ``TestResponse/validate()``.
    func send(raw bytes: [UInt8], responses count: Int?) async throws -> [TestResponse]
}

extension TestRequestSending {
    @discardableResult
    public func send(raw bytes: [UInt8]) async throws -> [TestResponse] {
        try await send(raw: bytes, responses: nil)
    }

    @discardableResult
    public func execute(_ method: HTTPMethod, _ target: String, headers: TestRequestHeaders = [:], body: [UInt8]? = nil) async throws -> TestResponse {
        try await execute(method, target, headers: headers, body: body, chunkSize: nil)
    }

    @discardableResult
    public func get(_ target: String, headers: TestRequestHeaders = [:]) async throws -> TestResponse {
        try await execute(.get, target, headers: headers, body: nil, chunkSize: nil)
    }

    @discardableResult
    public func head(_ target: String, headers: TestRequestHeaders = [:]) async throws -> TestResponse {
        try await execute(.head, target, headers: headers, body: nil, chunkSize: nil)
    }

    @discardableResult
    public func delete(_ target: String, headers: TestRequestHeaders = [:]) async throws -> TestResponse {
        try await execute(.delete, target, headers: headers, body: nil, chunkSize: nil)
    }

    @discardableResult
    public func options(_ target: String, headers: TestRequestHeaders = [:]) async throws -> TestResponse {
        try await execute(.options, target, headers: headers, body: nil, chunkSize: nil)
    }

    /// POST with `body` as it is; `chunkSize` sends it chunked in pieces of that size.
    @discardableResult
    public func post(_ target: String, body: [UInt8] = [], headers: TestRequestHeaders = [:], chunkSize: Int? = nil) async throws -> TestResponse {
        try await execute(.post, target, headers: headers, body: body, chunkSize: chunkSize)
    }

    @discardableResult
    public func put(_ target: String, body: [UInt8] = [], headers: TestRequestHeaders = [:], chunkSize: Int? = nil) async throws -> TestResponse {
        try await execute(.put, target, headers: headers, body: body, chunkSize: chunkSize)
    }

    @discardableResult
    public func patch(_ target: String, body: [UInt8] = [], headers: TestRequestHeaders = [:], chunkSize: Int? = nil) async throws -> TestResponse {
        try await execute(.patch, target, headers: headers, body: body, chunkSize: chunkSize)
    }

    /// POST `value` as JSON (`Content-Type: application/json` unless given), ISO 8601 dates unless
    /// `encoder` says otherwise.
    @discardableResult
    public func post(_ target: String, json value: some Encodable, headers: TestRequestHeaders = [:], encoder: JSONEncoder? = nil) async throws -> TestResponse {
        try await execute(.post, target, json: value, headers: headers, encoder: encoder)
    }

    @discardableResult
    public func put(_ target: String, json value: some Encodable, headers: TestRequestHeaders = [:], encoder: JSONEncoder? = nil) async throws -> TestResponse {
        try await execute(.put, target, json: value, headers: headers, encoder: encoder)
    }

    @discardableResult
    public func patch(_ target: String, json value: some Encodable, headers: TestRequestHeaders = [:], encoder: JSONEncoder? = nil) async throws -> TestResponse {
        try await execute(.patch, target, json: value, headers: headers, encoder: encoder)
    }

    /// POST `fields` URL-encoded (`application/x-www-form-urlencoded`), in the order written.
    @discardableResult
    public func post(_ target: String, form fields: KeyValuePairs<String, String>, headers: TestRequestHeaders = [:]) async throws -> TestResponse {
        try await execute(.post, target, form: fields, headers: headers)
    }

    @discardableResult
    public func put(_ target: String, form fields: KeyValuePairs<String, String>, headers: TestRequestHeaders = [:]) async throws -> TestResponse {
        try await execute(.put, target, form: fields, headers: headers)
    }

    @discardableResult
    public func patch(_ target: String, form fields: KeyValuePairs<String, String>, headers: TestRequestHeaders = [:]) async throws -> TestResponse {
        try await execute(.patch, target, form: fields, headers: headers)
    }

    /// Any method with `value` as its JSON body.
    @discardableResult
    public func execute(
        _ method: HTTPMethod, _ target: String, json value: some Encodable, headers: TestRequestHeaders = [:],
        encoder: JSONEncoder? = nil
    ) async throws -> TestResponse {
        let encoder = encoder ?? {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            return encoder
        }()
        let body = Array(try encoder.encode(value))
        return try await execute(method, target, headers: headers.adding("Content-Type", "application/json"), body: body, chunkSize: nil)
    }

    /// Any method with `fields` as its URL-encoded form body.
    @discardableResult
    public func execute(
        _ method: HTTPMethod, _ target: String, form fields: KeyValuePairs<String, String>, headers: TestRequestHeaders = [:]
    ) async throws -> TestResponse {
        let body = fields.map { FormEncoding.encode($0.key) + "=" + FormEncoding.encode($0.value) }.joined(separator: "&")
        return try await execute(
            method, target, headers: headers.adding("Content-Type", "application/x-www-form-urlencoded"),
            body: Array(body.utf8), chunkSize: nil)
    }
}

extension TestRequestHeaders {
    /// With `name: value` added unless a field of that name is there.
    func adding(_ name: String, _ value: String) -> TestRequestHeaders {
        contains(name) ? self : TestRequestHeaders(fields + [HTTPField(name: name, value: value)])
    }
}

/// `application/x-www-form-urlencoded` (WHATWG URL §5.2): unreserved bytes as they are, space as `+`,
/// everything else percent-encoded as UTF-8.
enum FormEncoding {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2A, 0x2D, 0x2E, 0x5F: out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x20: out += "+"
            default: out += "%" + String(byte, radix: 16, uppercase: true).leftPadded
            }
        }
        return out
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
