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

    enum Source: Sendable {
        case buffered(ArraySlice<UInt8>)
        case live(LiveBody)

        /// The body of the connection `token`, read from its worker as the handler asks.
        static func streamed(handle: WorkerHandle, token: UInt64) -> Source {
            .live(LiveBody(handle: handle, token: token))
        }
    }

    /// A streamed body's worker and connection, with the gate that keeps one `next()` outstanding: the
    /// worker holds one demand per connection, and every stream value of a request shares this object.
    final class LiveBody: Sendable {
        let handle: WorkerHandle
        let token: UInt64
        let gate = OperationGate()

        init(handle: WorkerHandle, token: UInt64) {
            self.handle = handle
            self.token = token
        }
    }

    let source: Source

    public func makeAsyncIterator() -> Iterator {
        Iterator(source: source)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let source: Source
        var finished = false

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
                    if !body.handle.send(.bodyDemand(token: body.token, BodyDemand(continuation))) {
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
struct BodyDemand: Sendable {
    let continuation: CheckedContinuation<[UInt8]?, any Error>

    init(_ continuation: CheckedContinuation<[UInt8]?, any Error>) { self.continuation = continuation }

    func deliver(_ chunk: [UInt8]) { continuation.resume(returning: chunk) }
    func end() { continuation.resume(returning: nil) }
    func fail(_ error: any Error) { continuation.resume(throwing: error) }
}
