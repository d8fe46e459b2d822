import MiniHTTP

/// Why a ``TestClient`` request got no response.
public enum TestClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No complete response within the client's timeout.
    case timedOut(Duration, receivedBytes: Int)
    /// The server closed the connection before a complete response.
    case connectionClosed(receivedBytes: Int)
    /// What came back is not an HTTP/1.1 response (or cannot be framed).
    case malformedResponse(String)
    /// The request cannot be written: a field with CR, LF or NUL, a target with a space …
    case invalidRequest(String)
    /// The server could not be made or started, or a socket call failed.
    case system(String)

    public var description: String {
        switch self {
        case .timedOut(let timeout, let received): "no complete response within \(timeout) (\(received) bytes received)"
        case .connectionClosed(let received): "the server closed the connection before a complete response (\(received) bytes received)"
        case .malformedResponse(let reason): "malformed response: \(reason)"
        case .invalidRequest(let reason): "invalid request: \(reason)"
        case .system(let reason): reason
        }
    }
}
