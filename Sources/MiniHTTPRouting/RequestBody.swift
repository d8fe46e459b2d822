import MiniHTTPCore
import MiniHTTPPosix
/// How a route takes its request body.
public enum RequestBodyHandling: Sendable, Equatable {
    /// Read whole before the handler runs, up to `maxBodyBytes` (the default).
    case buffered
    /// Handed to the handler as it arrives (``Request/bodyStream``), up to `maxBytes` — which may exceed
    /// `maxBodyBytes`: an upload larger than memory should hold. Only for async handlers.
    case streamed(maxBytes: Int)
}

/// A request body as an async sequence of byte chunks, in order: for a streamed route, each chunk as it
/// arrives (the server reads more from the client only as the handler asks, so a slow consumer holds the
/// client back instead of filling memory); for a buffered route, the whole body as one chunk.
///
/// One `next()` at a time, across every iterator of the request's body: a second one while the first
/// waits throws ``StreamError/concurrentUse`` at once.
///
/// Iterating throws ``StreamError/connectionClosed`` if the client goes away before the body is complete,
/// and ``RequestBodyError`` if the body breaks its framing or exceeds the route's limit (the client is
/// answered 400 or 413 and the connection closed). A handler that returns before reading the whole body
/// gets its response sent, and the connection is then closed (the rest is not read).
public struct RequestBodyStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    package enum Source: Sendable {
        case buffered(ArraySlice<UInt8>)
        case live(LiveBody)

        /// The body of the connection behind `channel`, read as the handler asks.
        package static func streamed(_ channel: any ConnectionChannel) -> Source {
            .live(LiveBody(channel: channel))
        }
    }

    /// A streamed body's worker and connection, with the gate that keeps one `next()` outstanding: the
    /// worker holds one demand per connection, and every stream value of a request shares this object.
    package final class LiveBody: Sendable {
        package let channel: any ConnectionChannel
        package let gate = OperationGate()

        package init(channel: any ConnectionChannel) {
            self.channel = channel
        }
    }

    package let source: Source

    public func makeAsyncIterator() -> Iterator {
        Iterator(source: source)
    }

    public struct Iterator: AsyncIteratorProtocol {
        package let source: Source
        package var finished = false

        public mutating func next() async throws -> [UInt8]? {
            guard !finished else { return nil }
            switch source {
            case .buffered(let body):
                finished = true
                return body.isEmpty ? nil : Array(body)
            case .live(let body):
                guard body.gate.enter() else { throw StreamError.concurrentUse }
                defer { body.gate.leave() }
                try Task.checkCancellation()
                let chunk = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                    if !body.channel.demand(BodyDemand(continuation)) {
                        continuation.resume(throwing: StreamError.connectionClosed)
                    }
                }
                if chunk == nil { finished = true }
                return chunk
            }
        }
    }

    /// Reads the whole body into one array (bounded by the route's limit).
    public func collect() async throws -> [UInt8] {
        var body: [UInt8] = []
        for try await chunk in self { body += chunk }
        return body
    }
}

/// Why a streamed request body ended in error.
public enum RequestBodyError: Error, Sendable, Equatable {
    /// The body broke its framing (a malformed chunk): the client was answered 400.
    case malformed
    /// The body exceeded the route's `maxBytes`: the client was answered 413.
    case tooLarge
}

/// A handler's request for the next chunk of a streamed body: resumed exactly once.
package struct BodyDemand: Sendable {
    package let continuation: CheckedContinuation<[UInt8]?, any Error>

    package init(_ continuation: CheckedContinuation<[UInt8]?, any Error>) { self.continuation = continuation }

    package func deliver(_ chunk: [UInt8]) { continuation.resume(returning: chunk) }
    package func end() { continuation.resume(returning: nil) }
    package func fail(_ error: any Error) { continuation.resume(throwing: error) }
}
