/// The transitions: one event, the time it happened, and the action the worker must carry out.
extension ConnectionState {
    @inlinable
    package var isClosed: Bool {
        if case .closed = phase { return true }
        return false
    }

    /// Applies `event` at `now` and returns what the worker must do.
    package mutating func on(_ event: Event, now: Int64) -> Action {
        guard phase != .closed else { return .none }
        switch event {
        case .reset:
            phase = .closed
            return .close
        case .bytesRead:
            onBytesRead(now: now)
        case .endOfInput:
            input = .ended
            if case .lingering = phase {
                phase = .closed
                return .close
            }
        case .proxyHeaderRead:
            if case .proxyHeader(let since) = phase { phase = .idle(since: since, .firstRequest) }
        case .headParsed:
            phase = .readingBody(lastRead: now)
        case .answered(let keepAlive, let bytesFollow):
            phase = nextRequest(keepAlive: keepAlive, bytesFollow: bytesFollow, now: now)
        case .responseStreamEnded(let cut, let bytesFollow):
            guard case .streamingResponse(let keepAlive, _) = phase else { break }
            phase = nextRequest(keepAlive: keepAlive && !cut, bytesFollow: bytesFollow, now: now)
        case .handlerStarted:
            phase = .awaitingHandler
        case .requestBodyStreamStarted:
            phase = .streamingRequestBody(waitingSince: nil)
        case .bodyWanted:
            if case .streamingRequestBody(nil) = phase { phase = .streamingRequestBody(waitingSince: now) }
        case .bodyDelivered:
            if case .streamingRequestBody = phase { phase = .streamingRequestBody(waitingSince: nil) }
        case .requestBodyComplete:
            if case .streamingRequestBody = phase { phase = .awaitingHandler }
        case .responseStreamStarted(let keepAlive, let chunked):
            phase = .streamingResponse(keepAlive: keepAlive, chunked: chunked)
        case .refused:
            phase = .closing(linger: true)
        case .queued:
            if output == .idle { output = .pending }
        case .wroteAll:
            output = .idle
            // The keep-alive timeout runs from the last byte of the last response; so does the header
            // timeout of a head pipelined behind it (its client may have been busy reading until now).
            switch phase {
            case .idle(_, let wait): phase = .idle(since: now, wait)
            case .readingHead: phase = .readingHead(since: now)
            default: break
            }
        case .wroteSome:
            output = .blocked(since: now)
        case .wouldBlock:
            if case .blocked = output {} else { output = .blocked(since: now) }
        case .timer:
            return onTimer()
        case .drain:
            return onDrain(now: now)
        case .settled(let inputPending):
            return settle(inputPending: inputPending, now: now)
        }
        return .none
    }

    private mutating func onBytesRead(now: Int64) {
        switch phase {
        case .idle:
            phase = .readingHead(since: now)
        case .readingBody:
            phase = .readingBody(lastRead: now)
        case .streamingRequestBody(.some):
            phase = .streamingRequestBody(waitingSince: now)
        case .lingering(let since, _):
            phase = .lingering(since: since, lastRead: now)
        default:
            break
        }
    }

    /// After a response: the next request (already arriving, or not yet), or the end.
    private func nextRequest(keepAlive: Bool, bytesFollow: Bool, now: Int64) -> Phase {
        guard keepAlive else { return .closing(linger: false) }
        return bytesFollow ? .readingHead(since: now) : .idle(since: now, .nextRequest)
    }

    /// The deadline passed: what it means in this state.
    private mutating func onTimer() -> Action {
        let action: Action
        if case .blocked = output, !isLingering {
            action = .timedOut(.write, answer: nil)  // the client stopped reading
        } else {
            switch phase {
            case .proxyHeader:
                action = .timedOut(.header, answer: nil)
            case .idle:
                action = .timedOut(.idle, answer: nil)
            case .readingHead:
                action = .timedOut(.header, answer: .requestTimeout)
            case .readingBody, .streamingRequestBody(.some):
                action = .timedOut(.body, answer: .requestTimeout)
            case .lingering:
                action = .close
            case .awaitingHandler, .streamingRequestBody(nil), .streamingResponse, .closing, .closed:
                return .none  // nothing here waits on the client
            }
        }
        phase = .closed
        return action
    }

    /// A drain began: a connection idle between requests closes now; one accepted a moment ago gets a
    /// moment for the request on its way; the others close after their next response (the worker makes
    /// every response from now on say `Connection: close`).
    private mutating func onDrain(now: Int64) -> Action {
        if case .streamingResponse(_, let chunked) = phase {
            // The stream began before the drain: the connection closes after its last chunk.
            phase = .streamingResponse(keepAlive: false, chunked: chunked)
            return .none
        }
        guard case .idle(_, let wait) = phase else { return .none }
        switch wait {
        case .firstRequest:
            phase = .idle(since: now, .drainGrace)
            return .none
        case .nextRequest, .drainGrace:
            guard output == .idle else {
                phase = .closing(linger: false)
                return .none
            }
            phase = .closed
            return .close
        }
    }

    /// After the worker has done all an event allowed: does the connection end here?
    private mutating func settle(inputPending: Bool, now: Int64) -> Action {
        guard output == .idle else { return .none }  // first write what is queued
        switch phase {
        case .closing(let linger):
            // A client that may still be sending gets a lingering close, so it reads our answer rather
            // than a reset: always after an error, otherwise when input is pending.
            if input == .ended || (!linger && !inputPending) {
                phase = .closed
                return .close
            }
            phase = .lingering(since: now, lastRead: now)
            return .linger
        case .idle, .proxyHeader, .readingHead, .readingBody, .streamingRequestBody:
            // RFC 9112 §9.6: the client finished sending; what it sent complete has been answered.
            guard input == .ended else { return .none }
            phase = .closed
            return .close
        case .awaitingHandler, .streamingResponse, .lingering, .closed:
            return .none
        }
    }

    @inlinable
    package var isLingering: Bool {
        if case .lingering = phase { return true }
        return false
    }
}
