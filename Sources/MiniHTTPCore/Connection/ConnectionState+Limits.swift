/// The two bounds a state sets: how long the connection may wait (its one deadline), and how much unparsed
/// input it may hold (its input budget).
extension ConnectionState {
    /// The timeouts, in milliseconds, from the configuration.
    package struct Timeouts: Sendable, Equatable {
        package var headerMilliseconds: Int64
        package var bodyMilliseconds: Int64
        package var idleMilliseconds: Int64
        package var writeMilliseconds: Int64
        /// A lingering close ends when the client pauses this long (nginx's lingering_timeout)…
        package var lingerMilliseconds: Int64
        /// …or after this long in all (nginx's lingering_time).
        package var lingerTotalMilliseconds: Int64
        /// A connection accepted just before a drain began gets this long for its first request.
        package var drainGraceMilliseconds: Int64

        package init(
            headerMilliseconds: Int64, bodyMilliseconds: Int64, idleMilliseconds: Int64, writeMilliseconds: Int64,
            lingerMilliseconds: Int64 = 2000, lingerTotalMilliseconds: Int64 = 30_000, drainGraceMilliseconds: Int64 = 1000
        ) {
            self.headerMilliseconds = headerMilliseconds
            self.bodyMilliseconds = bodyMilliseconds
            self.idleMilliseconds = idleMilliseconds
            self.writeMilliseconds = writeMilliseconds
            self.lingerMilliseconds = lingerMilliseconds
            self.lingerTotalMilliseconds = lingerTotalMilliseconds
            self.drainGraceMilliseconds = drainGraceMilliseconds
        }
    }

    /// The connection's one deadline (monotonic milliseconds), or nil when nothing waits on the client.
    /// Header: from the head's first byte (or the last byte of the response before it); idle: from the last
    /// response's last byte; body: from the last read; write: from the client's last read; linger: from
    /// the client's last bytes, within a total from the shutdown.
    package func deadline(_ timeouts: Timeouts) -> Int64? {
        if case .blocked(let since) = output, !isLingering { return since + timeouts.writeMilliseconds }
        switch phase {
        case .proxyHeader(let since), .readingHead(let since):
            return since + timeouts.headerMilliseconds
        case .idle(let since, .firstRequest):
            return since + min(timeouts.headerMilliseconds, timeouts.idleMilliseconds)
        case .idle(let since, .nextRequest):
            return since + timeouts.idleMilliseconds
        case .idle(let since, .drainGrace):
            return since + timeouts.drainGraceMilliseconds
        case .readingBody(let lastRead), .streamingRequestBody(.some(let lastRead)):
            return lastRead + timeouts.bodyMilliseconds
        case .lingering(let since, let lastRead):
            return min(since + timeouts.lingerTotalMilliseconds, lastRead + timeouts.lingerMilliseconds)
        case .awaitingHandler, .streamingRequestBody(nil), .streamingResponse, .closing, .closed:
            return nil
        }
    }

    /// The sizes input budgets are made of, from the configuration.
    package struct InputLimits: Sendable, Equatable {
        /// The longest head the parser accepts (leading empty lines included): it answers an error before
        /// a head grows past this, so a head never needs more.
        package var headBytes: Int
        /// The longest PROXY protocol header accepted.
        package var proxyHeaderBytes: Int
        /// What is read at a time of a body that is consumed as it arrives (chunked, or streamed to a
        /// handler): the decoder or the handler takes each read before the next.
        package var readBytes: Int

        package init(headBytes: Int, proxyHeaderBytes: Int = 4096, readBytes: Int) {
            self.headBytes = headBytes
            self.proxyHeaderBytes = proxyHeaderBytes
            self.readBytes = readBytes
        }
    }

    /// The most unparsed input the connection may hold now; reading stops there. `headLength` is the
    /// current request's head, once parsed; `declaredBody` its Content-Length, when it has one.
    /// `answersBackedUp`: the client is not reading its answers, so no more requests are read until it
    /// catches up.
    package func inputBudget(_ limits: InputLimits, headLength: Int, declaredBody: Int?, answersBackedUp: Bool) -> Int {
        switch phase {
        case .proxyHeader:
            return limits.proxyHeaderBytes
        case .idle, .readingHead:
            return answersBackedUp ? 0 : limits.headBytes
        case .readingBody:
            return headLength + (declaredBody ?? limits.readBytes)
        case .streamingRequestBody(.some):
            return headLength + limits.readBytes
        case .awaitingHandler, .streamingRequestBody(nil), .streamingResponse, .closing, .lingering, .closed:
            // Pipelined requests wait in the kernel (TCP holds the client back) until this one is done.
            return 0
        }
    }

    /// Whether the worker may parse buffered input now: only between requests or within one.
    @inlinable
    package var parsesInput: Bool {
        switch phase {
        case .proxyHeader, .idle, .readingHead, .readingBody: true
        default: false
        }
    }
}
