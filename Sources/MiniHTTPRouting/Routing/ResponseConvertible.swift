import MiniHTTPCore

/// A value a handler may return in place of a ``Response``:
///
/// ```swift
/// router.get("/hello") { _ in "Hello!" }              // text/plain
/// router.delete("/todos/:id") { _ in Status.noContent }
/// ```
///
/// `String` (UTF-8 text), `Status` (no body), `[UInt8]` (`application/octet-stream`), ``Response`` and
/// an optional of any of them (nil is `204 No Content`) conform. Conform your own types to choose their
/// representation; an `Encodable` type that does not conform is sent as JSON.
public protocol ResponseConvertible {
    /// The response that represents this value, for `request`. A thrown error is answered as a
    /// handler's error is.
    func response(to request: Request) throws -> Response
}

extension Response: ResponseConvertible {
    /// Itself.
    public func response(to request: Request) -> Response { self }
}

extension String: ResponseConvertible {
    /// The string as `text/plain; charset=utf-8`.
    public func response(to request: Request) -> Response { .text(self) }
}

extension Status: ResponseConvertible {
    /// The status, without a body.
    public func response(to request: Request) -> Response { Response(status: self) }
}

extension Array: ResponseConvertible where Element == UInt8 {
    /// The bytes as `application/octet-stream`.
    public func response(to request: Request) -> Response { .bytes(self) }
}

extension Optional: ResponseConvertible where Wrapped: ResponseConvertible {
    /// The wrapped value's response, or `204 No Content` for nil.
    public func response(to request: Request) throws -> Response {
        guard let self else { return Response(status: .noContent) }
        return try self.response(to: request)
    }
}

extension Response {
    /// `value` as `application/json`, encoded with `coding`; throws what the encoder throws.
    package static func encoded(_ value: some Encodable, with coding: JSONCoding, status: Status = .ok) throws
        -> Response
    {
        Response(status: status, contentType: MediaType.json, body: .bytes(try coding.encode(value)))
    }
}
