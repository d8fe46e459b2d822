import MiniHTTPCore
import MiniHTTPPosix
/// A request as a handler sees it.
///
/// Its bytes are shared with the connection's read buffer rather than copied (the buffer's storage is
/// copy-on-write, so a request kept beyond its handler stays intact); strings are made only when asked for.
public struct Request: Sendable {
    /// The request method.
    public let method: HTTPMethod
    /// The protocol version of the request.
    public let version: HTTPVersion
    /// The client's address: `127.0.0.1`, `::1`, … Behind proxies listed in `trustedProxies`, the client
    /// they name (PROXY protocol, the `forwardedHeader`), or `-` when they name one that cannot be
    /// identified (`for=unknown`); otherwise the connection's peer (`-` for a Unix-socket peer).
    public let remoteAddress: String
    /// The body: the Content-Length bytes, or the decoded chunks of a chunked body; empty when there is none.
    public let body: ArraySlice<UInt8>
    /// The body as an async sequence of chunks: as it arrives for a route registered with
    /// `body: .streamed(maxBytes:)` (where ``body`` is empty), else the buffered body as one chunk.
    public var bodyStream: RequestBodyStream { RequestBodyStream(source: streamSource ?? .buffered(body)) }
    package var streamSource: RequestBodyStream.Source?
    /// Set by the `RequestID` middleware; read through `requestID`.
    package var requestIDSlot: String?
    /// The JSON coding of the request's route (its group's, else the router's): what ``decode(_:json:form:)``
    /// decodes with unless given a decoder; nil for ``JSONCoding/default`` (a copy of the request then
    /// retains nothing for it).
    package var jsonCoding: JSONCoding?
    /// What middleware learned about this request (the authenticated user…), typed by key.
    public var storage = RequestStorage()

    /// The route's `:name` parameters and `*` remainder, percent-decoded.
    public package(set) var parameters: Parameters

    @usableFromInline package let bytes: [UInt8]
    @usableFromInline package let base: Int
    @usableFromInline package let head: RequestHead

    /// The client's address, for `statusAllow`.
    package let clientAddress: IPAddress

    /// The worker answering the request, for responders that keep state per worker; nil outside a server.
    package let worker: WorkerLocality?

    package init(
        head: RequestHead, bytes: [UInt8], base: Int, body: ArraySlice<UInt8>, remoteAddress: String,
        clientAddress: IPAddress = IPAddress(ipv4: (127, 0, 0, 1)), worker: WorkerLocality? = nil
    ) {
        self.worker = worker
        self.clientAddress = clientAddress
        self.method = head.method
        self.version = head.version
        self.remoteAddress = remoteAddress
        self.body = body
        self.bytes = bytes
        self.base = base
        self.head = head
        self.parameters = Parameters()
    }

    /// The raw request target, as sent: `/search?q=swift`.
    public var target: String { string(head.target) }

    /// The path of the target, percent-decoded: `/a b` for `/a%20b`. Empty for `*` and CONNECT targets.
    public var path: String {
        if head.path.isEmpty, head.targetForm == .absolute { return "/" }
        return PercentDecoding.decodedString(bytes, shifted(head.path)) ?? rawPath
    }

    /// The path of the target as sent, without decoding.
    public var rawPath: String {
        if head.path.isEmpty, head.targetForm == .absolute { return "/" }
        return string(head.path)
    }

    /// The query after `?`, as sent (not decoded); nil when there is none.
    public var rawQuery: String? { head.query.map(string) }

    /// The host the request was sent to: Host, or the authority of an absolute-form target.
    public var host: String? { head.host.map(string) }

    /// The header fields, looked up without regard to case.
    @inlinable
    public var headers: Headers { Headers(bytes: bytes, base: base, fields: head.fields) }

    /// The query's `name=value` pairs in order, `+` and percent-escapes decoded.
    public var queryItems: [QueryItem] {
        guard let query = head.query else { return [] }
        return QueryItem.parse(bytes, shifted(query))
    }

    /// The first value of the query parameter `name`, decoded; nil when absent.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    @inlinable
    package func shifted(_ range: Range<Int>) -> Range<Int> { (range.lowerBound + base)..<(range.upperBound + base) }

    package func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[shifted(range)], as: UTF8.self)
    }
}

/// One `name=value` pair of a query string.
public struct QueryItem: Sendable, Hashable {
    public let name: String
    public let value: String

    package static func parse(_ bytes: [UInt8], _ range: Range<Int>) -> [QueryItem] {
        var items: [QueryItem] = []
        var start = range.lowerBound
        while start <= range.upperBound {
            var end = start
            while end < range.upperBound, bytes[end] != ASCII.ampersand { end += 1 }
            if end > start {
                var equals = start
                while equals < end, bytes[equals] != ASCII.equals { equals += 1 }
                let name = PercentDecoding.decodedForm(bytes, start..<equals)
                let value = equals < end ? PercentDecoding.decodedForm(bytes, (equals + 1)..<end) : ""
                items.append(QueryItem(name: name, value: value))
            }
            start = end + 1
        }
        return items
    }
}

/// Which worker thread answers a request, and its clock: lets a responder keep per-worker state without
/// locks (the static files' open-file cache), indexed by `index`.
package struct WorkerLocality: Sendable {
    /// The worker's number, `0..<workers`.
    package let index: Int
    /// The worker's monotonic clock when it began answering, in milliseconds.
    package let now: Int64

    package init(index: Int, now: Int64) {
        self.index = index
        self.now = now
    }
}
