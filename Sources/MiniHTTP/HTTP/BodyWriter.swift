/// Writes a streamed response body (see ``Response/stream(status:contentType:headers:_:)``), with
/// back-pressure: `write` returns once the worker has taken the bytes and the connection's unsent output
/// is below a bound, so a producer faster than its client waits instead of filling memory.
public struct BodyWriter: Sendable {
    let handle: WorkerHandle
    let token: UInt64

    /// Sends `bytes` as the next part of the body (one chunk, for HTTP/1.1). Waits while the client is
    /// behind. Throws ``StreamError/connectionClosed`` once the client has gone (stop producing then), and
    /// `CancellationError` if the task was cancelled.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        try Task.checkCancellation()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if !handle.send(.streamWrite(token: token, bytes, StreamAcknowledgement(continuation))) {
                continuation.resume(throwing: StreamError.connectionClosed)
            }
        }
    }

    /// Sends the UTF-8 bytes of `text` as the next part of the body.
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}

/// Why a streamed body could not be written.
public enum StreamError: Error, Sendable {
    /// The client has gone, or the server has stopped: nothing more can be sent.
    case connectionClosed
}

/// The worker's answer to one `write`: resumed exactly once, when the bytes were taken (and there is room
/// for more) or when they cannot be.
struct StreamAcknowledgement: Sendable {
    let continuation: CheckedContinuation<Void, any Error>

    init(_ continuation: CheckedContinuation<Void, any Error>) { self.continuation = continuation }

    func accepted() { continuation.resume() }
    func refused() { continuation.resume(throwing: StreamError.connectionClosed) }
}

/// A streamed body's producer, kept in a class so the closure is stored once at its own type.
final class StreamSource: Sendable {
    let produce: @Sendable (BodyWriter) async throws -> Void

    init(_ produce: @escaping @Sendable (BodyWriter) async throws -> Void) { self.produce = produce }
}
