#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MiniHTTPCore
import MiniHTTPPosix

/// What a handler answers: a status, header fields and a body.
///
/// `Date`, `Server`, `Content-Length` and `Connection` are written by the server; set the others here.
public struct Response: Sendable {
    public var status: Status
    /// The `Content-Type`, or nil for none (an empty one is none).
    public var contentType: String? {
        get { storedContentType.isEmpty ? nil : storedContentType }
        set { storedContentType = newValue ?? "" }
    }
    /// Empty for none. Not an optional: with one, the optimiser left a copy and a destroy of the whole
    /// response in `Response.text` and `.html` (callgrind: about 340 instructions per response).
    private var storedContentType: String
    /// Further header fields, written in this order; editable by name (`headers["X-Total-Count"] = "42"`).
    public var headers: ResponseHeaders
    public var body: Body
    /// Asks the server to gzip the body when the client accepts it and the body's size is within
    /// `gzip.minBytes`...`gzip.maxBytes` (adds `Content-Encoding: gzip` and `Vary: Accept-Encoding`).
    public var compress = false
    /// Who made this response: one value, from which whether an error page may replace it and whether a
    /// problem-details scope rewrites it both follow.
    package var origin = Origin.handler
    /// Header fields already encoded (`Name: value\r\n`…), for the server's own responses: static files
    /// keep theirs from one request to the next.
    package var fieldBlock: [UInt8] = []
    /// Who made a response.
    package enum Origin: Sendable, Equatable {
        /// A handler (or middleware) returned it: the server leaves it as it is.
        case handler
        /// One of the server's own plain-text error answers (``CannedResponse``): an error page may
        /// replace it, a scope writing problem details rewrites it.
        case cannedError
        /// The 500 the server made for a thrown error, hiding its text: an error page may replace it.
        case hiddenError
    }

    /// The server made this response itself (a 404, a 500 for a thrown error): an error page may replace it.
    package var isServerAnswer: Bool { origin != .handler }

    /// One of the server's own plain-text error answers, which a scope writing problem details rewrites.
    package var isCannedError: Bool { origin == .cannedError }
    /// The error a handler or middleware threw, when this response was rendered from it: for the log.
    package var error: (any Error)? {
        get { errorBox?.error }
        set { errorBox = newValue.map(ErrorBox.init) }
    }
    /// One word instead of an existential's five: responses are copied on every request, errors are rare.
    private var errorBox: ErrorBox?

    public init(status: Status = .ok, contentType: String? = nil, headers: ResponseHeaders = [], body: Body = .empty) {
        self.status = status
        self.storedContentType = contentType ?? ""
        self.headers = headers
        self.body = body
    }

    /// A response whose header fields come already encoded (`Name: value\r\n`…): the server's own, such as a
    /// static file's validators and caching fields, kept from one request to the next.
    package init(status: Status, contentType: String?, fieldBlock: [UInt8], body: Body) {
        self.status = status
        self.storedContentType = contentType ?? ""
        self.headers = []
        self.body = body
        self.fieldBlock = fieldBlock
    }

    /// A response with the header fields of an array (source compatibility with `[HTTPField]` values).
    @_disfavoredOverload
    public init(status: Status = .ok, contentType: String? = nil, headers: [HTTPField], body: Body = .empty) {
        self.init(status: status, contentType: contentType, headers: ResponseHeaders(headers), body: body)
    }

    /// Adds a header field (as `headers.append(name:value:)`).
    public mutating func addHeader(_ name: String, _ value: String) {
        headers.append(name: name, value: value)
    }

    /// Plain text, `text/plain; charset=utf-8`.
    public static func text(_ text: String, status: Status = .ok) -> Response {
        Response(status: status, contentType: MediaType.plainText, body: .string(text))
    }

    /// An HTML document, `text/html; charset=utf-8`.
    public static func html(_ html: String, status: Status = .ok) -> Response {
        Response(status: status, contentType: MediaType.html, body: .string(html))
    }

    /// Raw bytes with the given content type.
    public static func bytes(_ bytes: [UInt8], contentType: String = MediaType.octetStream, status: Status = .ok)
        -> Response
    {
        Response(status: status, contentType: contentType, body: .bytes(bytes))
    }

    /// A JSON document encoded from `value` with `coding` (ISO 8601 dates unless told otherwise); a value
    /// that cannot be encoded gives a 500.
    public static func json(_ value: some Encodable, status: Status = .ok, coding: JSONCoding = .default) -> Response {
        do {
            return try encoded(value, with: coding, status: status)
        } catch {
            var response = Response.text("could not encode the response\n", status: .internalServerError)
            response.error = error
            return response
        }
    }

    /// A redirect to `location` (302 Found unless told otherwise). The location must be a URI reference;
    /// CR, LF or NUL in it make the response a 500.
    public static func redirect(to location: String, status: Status = .found) -> Response {
        Response(status: status, headers: [HTTPField(name: "Location", value: location)])
    }

    /// A response whose body is produced while it is sent: server-sent events, a large generated export.
    /// `produce` runs as a task and writes the body piece by piece; each `write` waits while the client is
    /// behind, so memory stays bounded. HTTP/1.1 clients get `Transfer-Encoding: chunked` (the connection
    /// stays open for the next request); HTTP/1.0 clients get the body delimited by the connection's close.
    /// If `produce` throws, the body is cut short and the connection closed (the client sees an incomplete
    /// response). If the client goes away, `write` throws and the task is cancelled. A HEAD request gets
    /// the head only; `produce` does not run.
    public static func stream(
        status: Status = .ok, contentType: String? = nil, headers: ResponseHeaders = [],
        _ produce: @escaping @Sendable (BodyWriter) async throws -> Void
    ) -> Response {
        Response(status: status, contentType: contentType, headers: headers, body: Body(.stream(StreamSource(produce))))
    }

    /// A bodiless response with only a status.
    public static func status(_ status: Status) -> Response {
        Response(status: status)
    }
}

extension Response {
    /// A response body.
    public struct Body: Sendable {
        package enum Storage: Sendable {
            case empty
            case bytes([UInt8])
            case string(String)
            case file(OpenFile)
            /// Part of a byte array (a cached file, or one range of it), without copying.
            case slice(ArraySlice<UInt8>)
            /// `count` bytes of an open file from `offset` (a range), sent with `sendfile`.
            case fileRegion(OpenFile, offset: Int, count: Int)
            /// Produced while it is sent; its length is not known in advance.
            case stream(StreamSource)
            /// A file from ``Response/file(_:from:status:contentType:)``, opened and served by the server's
            /// static-file pipeline before the response is sent.
            case staticFile(StaticFileReference)
        }

        package let storage: Storage

        package init(_ storage: Storage) { self.storage = storage }

        /// No body.
        public static let empty = Body(.empty)
        /// These bytes.
        public static func bytes(_ bytes: [UInt8]) -> Body { Body(.bytes(bytes)) }
        /// The UTF-8 bytes of this string.
        public static func string(_ string: String) -> Body { Body(.string(string)) }

        /// Whether the body is streamed (``Response/stream(status:contentType:headers:_:)``).
        public var isStream: Bool {
            if case .stream = storage { return true }
            return false
        }

        /// The body's length in bytes (0 for a stream, whose length is not known in advance, and for a file
        /// not opened yet).
        public var count: Int {
            switch storage {
            case .empty: 0
            case .bytes(let bytes): bytes.count
            case .string(let string): string.utf8.count
            case .file(let file): file.size
            case .slice(let slice): slice.count
            case .fileRegion(_, _, let count): count
            case .stream, .staticFile: 0
            }
        }
    }
}

/// A thrown error kept on its response for the server's log, boxed so that the response stays small.
private final class ErrorBox: Sendable {
    let error: any Error
    init(_ error: any Error) { self.error = error }
}
