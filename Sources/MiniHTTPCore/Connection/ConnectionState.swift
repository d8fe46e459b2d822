/// The life of one connection as one value, and every decision about it: what it reads, when it times
/// out, when it closes. Pure: no I/O and no clock of its own — the worker passes `now` (monotonic
/// milliseconds) with each event and carries out the action it gets back, so every transition is tested
/// without sockets and with a manual clock (as Hummingbird's `HTTPConnectionStateHandler.StateMachine`).
///
/// When does a connection close? Exactly when `on(_:now:)` returns `.close`:
/// - the client reset it, or a write failed (`.reset`);
/// - its response said `Connection: close` and the last byte of it has been written — at once if the
///   client has nothing more in flight, else (or after an error) by a lingering close;
/// - the client finished sending (EOF) and every complete request it sent has been answered (RFC 9112 §9.6);
/// - its deadline passed (`deadline(_:)`): idle, header, body, write or linger — see `onTimer`;
/// - a drain began while it was idle between requests.
@usableFromInline  // with `phase`: its small queries inline in the worker, which asks them several times an event
package struct ConnectionState: Equatable, Sendable {
    /// What the connection is doing. Each case carries the time its deadline runs from.
    @usableFromInline
    package enum Phase: Equatable, Sendable {
        /// A trusted proxy's PROXY protocol header is expected first (since accept).
        case proxyHeader(since: Int64)
        /// Between requests: nothing of the next one has arrived since `since`.
        case idle(since: Int64, IdleWait)
        /// A request head has been arriving since `since` (its first byte, or the end of the request
        /// before it when it was pipelined behind it): each head gets its own header timeout.
        case readingHead(since: Int64)
        /// The head is complete; its body is arriving (the last bytes came at `lastRead`).
        case readingBody(lastRead: Int64)
        /// A handler is producing the response; nothing more is parsed until it is written.
        case awaitingHandler
        /// A handler reads the request body as it arrives; it has been waiting for the client's bytes
        /// since `waitingSince` (nil while it is not asking: then the client is not being waited on).
        case streamingRequestBody(waitingSince: Int64?)
        /// A streamed response body is being produced, framed as chunks (HTTP/1.1) or by the close
        /// (HTTP/1.0); after it the connection goes on if `keepAlive`.
        case streamingResponse(keepAlive: Bool, chunked: Bool)
        /// The last response is being written; then the connection ends, with a lingering close after an
        /// error (so the client reads the error, not a reset).
        case closing(linger: Bool)
        /// Writing was shut down at `since`; what the client still sends is discarded (it last sent at
        /// `lastRead`) until it closes, pauses longer than the linger timeout, or the linger time is up.
        case lingering(since: Int64, lastRead: Int64)
        case closed
    }

    /// What an idle connection is waiting for, which sets how long it may wait.
    @usableFromInline
    package enum IdleWait: Equatable, Sendable {
        /// Just accepted: the first request, within min(header, keep-alive) timeout.
        case firstRequest
        /// The next request on a kept-alive connection: the keep-alive timeout.
        case nextRequest
        /// Accepted just before a drain began: a moment for the request already on its way.
        case drainGrace
    }

    /// The output, as the last write left it. Never a sticky flag: every write result sets it.
    package enum Output: Equatable {
        /// Everything queued has been handed to the kernel.
        case idle
        /// Bytes are queued and not yet tried.
        case pending
        /// The socket is full; the client last read (made room) at `since`.
        case blocked(since: Int64)
    }

    /// Whether the client may still send.
    package enum Input: Equatable {
        case open
        /// The client finished sending (EOF): answer what it sent, then close.
        case ended
    }

    @usableFromInline package var phase: Phase
    package var output = Output.idle
    package var input = Input.open

    package init(now: Int64, expectsProxyHeader: Bool) {
        phase = expectsProxyHeader ? .proxyHeader(since: now) : .idle(since: now, .firstRequest)
    }

    /// Something that happened to the connection, as the worker saw it.
    package enum Event: Equatable {
        /// Bytes were read from the client.
        case bytesRead
        /// The client finished sending (a read returned 0).
        case endOfInput
        /// The socket failed (reset, `EPOLLERR`, a write error): nothing more can be done on it.
        case reset
        /// The PROXY protocol header was read.
        case proxyHeaderRead
        /// A head was parsed whose body has yet to arrive.
        case headParsed
        /// A request was consumed, its response queued; `keepAlive` tells whether more may follow, and
        /// `bytesFollow` whether the next request has already begun to arrive.
        case answered(keepAlive: Bool, bytesFollow: Bool)
        /// A handler was started for the request; its response comes later (`answered`).
        case handlerStarted
        /// A handler that takes its body as it arrives was started; it asks for bytes with `bodyWanted`.
        case requestBodyStreamStarted
        /// The streaming handler asks for the next part of the body, and none is buffered.
        case bodyWanted
        /// The streaming handler got what it asked for (or the body is complete).
        case bodyDelivered
        /// The streamed request body is complete; the handler is still to answer.
        case requestBodyComplete
        /// A streamed response began (its head is queued).
        case responseStreamStarted(keepAlive: Bool, chunked: Bool)
        /// The streamed response ended; `cut` when its producer failed (the body is incomplete, so the
        /// connection must close); `bytesFollow` as for `answered`.
        case responseStreamEnded(cut: Bool, bytesFollow: Bool)
        /// The request cannot be answered normally; an error response is queued and nothing after it
        /// will be parsed.
        case refused
        /// Bytes were appended to the output.
        case queued
        /// The output was written out completely.
        case wroteAll
        /// A write took some bytes and the rest would block.
        case wroteSome
        /// A write took nothing: the socket is full.
        case wouldBlock
        /// The deadline passed (`deadline(_:)`).
        case timer
        /// The server began draining.
        case drain
        /// The worker has done all the event allowed: decide whether the connection ends here.
        /// `inputPending`: unparsed bytes are buffered, or may still wait in the socket (the client may be
        /// sending), so a close must linger lest the kernel answer them with a reset that destroys the
        /// response in flight (RFC 9112 §9.6).
        case settled(inputPending: Bool)
    }

    /// What the worker must do after an event.
    package enum Action: Equatable {
        case none
        /// Close the descriptor now.
        case close
        /// Shut down writing and discard input until the linger deadline.
        case linger
        /// A timeout: answer `answer` if the socket takes it (nil: nothing to answer), then close.
        case timedOut(TimeoutKind, answer: TimeoutAnswer?)
    }
}
