import MiniHTTPCore
import MiniHTTPPosix
/// Writes a streamed response body (see ``Response/stream(status:contentType:headers:_:)``), with
/// back-pressure: `write` returns once the worker has taken the bytes and the connection's unsent output
/// is below a bound, so a producer faster than its client waits instead of filling memory.
///
/// One write at a time: a `write` started while another is still waiting (from another task holding a copy)
/// throws ``StreamError/concurrentUse`` at once.
public struct BodyWriter: Sendable {
    package let channel: any ConnectionChannel
    /// Shared by every copy of this writer: the worker holds one acknowledgement per stream.
    package let gate = OperationGate()

    package init(channel: any ConnectionChannel) { self.channel = channel }

    /// Sends `bytes` as the next part of the body (one chunk, for HTTP/1.1). Waits while the client is
    /// behind. Throws ``StreamError/connectionClosed`` once the client has gone (stop producing then),
    /// ``StreamError/concurrentUse`` while another write is waiting, and `CancellationError` if the task
    /// was cancelled.
    public func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        guard gate.enter() else { throw StreamError.concurrentUse }
        defer { gate.leave() }
        try Task.checkCancellation()
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if !channel.write(bytes, acknowledgement: StreamAcknowledgement(continuation)) {
                continuation.resume(throwing: StreamError.connectionClosed)
            }
        }
    }

    /// Sends the UTF-8 bytes of `text` as the next part of the body.
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }
}

/// Why a streamed body could not be written or read.
public enum StreamError: Error, Sendable {
    /// The client has gone, or the server has stopped: nothing more can be sent.
    case connectionClosed
    /// Another operation on the same stream (a `write`, or a request body's `next()`) is still waiting:
    /// a stream serves one operation at a time. Nothing was sent or consumed.
    case concurrentUse
}

/// The worker's answer to one `write`: resumed exactly once, when the bytes were taken (and there is room
/// for more) or when they cannot be. A class: the worker tests for one on every event, and an optional
/// reference is tested without a copy (an optional `CheckedContinuation`, a type from a resilient module,
/// is copied through its value witnesses).
package final class StreamAcknowledgement: Sendable {
    package let continuation: CheckedContinuation<Void, any Error>

    package init(_ continuation: CheckedContinuation<Void, any Error>) { self.continuation = continuation }

    package func accepted() { continuation.resume() }
    package func refused() { continuation.resume(throwing: StreamError.connectionClosed) }
}

/// A streamed body's producer, kept in a class so the closure is stored once at its own type.
package final class StreamSource: Sendable {
    package let produce: @Sendable (BodyWriter) async throws -> Void

    package init(_ produce: @escaping @Sendable (BodyWriter) async throws -> Void) { self.produce = produce }
}
