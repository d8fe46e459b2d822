import MiniHTTPCore
/// An error that knows how it is answered: a status, header fields, and a message safe to show the client.
///
/// Throw one from a handler and the client gets that status, in the chosen ``ErrorBodyFormat``. Conform
/// your own error types to it; ``HTTPError`` is the stock one. The message is sent as it is, so it must say
/// nothing the client may not know (no paths, SQL, stack traces).
public protocol HTTPResponseError: Error {
    /// The status of the answer.
    var status: Status { get }
    /// Header fields added to the answer, such as `WWW-Authenticate` for a 401 or `Retry-After` for a 503.
    var headers: [HTTPField] { get }
    /// A message for the client, or nil for the status's reason phrase alone.
    var message: String? { get }
}

extension HTTPResponseError {
    /// No header fields.
    public var headers: [HTTPField] { [] }
    /// No message: the reason phrase alone.
    public var message: String? { nil }
}

/// The stock ``HTTPResponseError``: throw `HTTPError(.notFound)` or
/// `HTTPError(.badRequest, message: "limit must be at most 100")` from a handler.
public struct HTTPError: HTTPResponseError, Hashable, CustomStringConvertible {
    /// The status of the answer.
    public var status: Status
    /// A message for the client, or nil for the reason phrase alone.
    public var message: String?
    /// Header fields added to the answer.
    public var headers: [HTTPField]

    /// An error answered with `status`.
    /// - Parameters:
    ///   - status: The status of the answer.
    ///   - message: What the client is told; nil sends the reason phrase.
    ///   - headers: Header fields added to the answer.
    public init(_ status: Status, message: String? = nil, headers: [HTTPField] = []) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    /// `404 Not Found: no todo 7`.
    public var description: String {
        message.map { "\(status): \($0)" } ?? status.description
    }
}

extension HTTPError {
    /// What the client is told about any error a handler throws — the one place these rules live:
    /// - an ``HTTPResponseError`` is answered as it says;
    /// - a `DecodingError` is a 400 whose message names the failing field (``DecodingError/clientMessage``);
    /// - anything else is a 500 with no message: its text may hold what the client must not see, so log
    ///   the error itself on the server.
    /// - Parameter error: What the handler threw.
    /// - Returns: The error to answer with.
    public static func answering(_ error: any Error) -> any HTTPResponseError {
        switch error {
        case let error as any HTTPResponseError: error
        case let error as DecodingError: HTTPError(.badRequest, message: error.clientMessage)
        default: HTTPError(.internalServerError)
        }
    }
}
