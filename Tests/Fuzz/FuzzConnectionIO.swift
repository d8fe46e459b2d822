// The executor model's I/O and what arrives from outside: the client's bytes, writability, handler answers,
// stream parts, body demands, drain, time (Worker.swift, Worker+Reading.swift, Worker+Writing.swift,
// Worker+AsyncHandlers.swift, Worker+StreamedResponses.swift, Worker+RequestBodies.swift).

extension ConnectionModel {
    enum ReadOutcome { case progress, nothing, full, closed }

    /// Worker+Reading.swift `readInput`: one read, never past the state's budget.
    mutating func readInput() -> ReadOutcome {
        guard mayHaveInput else { return .nothing }
        var declared: Int?
        if hasHead, let request, !request.chunked, request.kind != .streamedBody { declared = request.bodyBytes }
        let budget = state.inputBudget(limits, headLength: hasHead ? request?.headBytes ?? 0 : 0,
                                       declaredBody: declared, answersBackedUp: answersBackedUp)
        guard budget > 0 else { return .nothing }
        guard buffered < budget else { return .full }
        let space = budget - buffered
        if kernelInput > 0 {
            let count = min(kernelInput, space)
            kernelInput -= count
            buffered += count
            guard buffered <= budget else { fatalError("buffered \(buffered) over the budget \(budget) in \(state)") }
            mayHaveInput = count == space || peerHungUp
            _ = event(.bytesRead)
            return .progress
        }
        if finSent {
            mayHaveInput = false
            apply(event(.endOfInput))
            return isClosed ? .closed : .nothing
        }
        mayHaveInput = false
        return .nothing
    }

    /// Worker+Writing.swift `flush`.
    mutating func flush() -> Bool {
        guard output > 0 else {
            if state.output != .idle { _ = event(.wroteAll) }
            return true
        }
        var progressed = false
        while output > 0 {
            guard writeOnce() else {
                _ = event(progressed ? .wroteSome : .wouldBlock)
                return false
            }
            progressed = true
        }
        _ = event(.wroteAll)
        return true
    }

    /// One write into the socket's free space; false when it is full.
    mutating func writeOnce() -> Bool {
        let room = socketCapacity - inFlight
        guard room > 0, output > 0 else { return false }
        let count = min(room, output)
        output -= count
        tail = min(tail, output)
        inFlight += count
        return true
    }

    /// Worker+RequestBodies.swift `feedBody`.
    mutating func feedBody() {
        guard bodyDemand, let request, let body = request.bodyBytes else { return }
        let available = buffered - request.headBytes
        var delivered = 0
        var complete = false
        if let remaining = streamedRemaining {
            delivered = min(available, remaining)
            buffered -= delivered
            streamedRemaining = remaining - delivered
            complete = remaining - delivered == 0
        } else {
            delivered = min(available, body - chunkedConsumed)
            chunkedConsumed += delivered
            buffered -= delivered
            complete = chunkedConsumed == body
        }
        if complete { _ = event(.requestBodyComplete) }
        if delivered > 0 {
            bodyDemand = false
            _ = event(.bodyDelivered)
        } else if complete {
            bodyDemand = false
        }
    }

    // MARK: From outside

    /// The client sends up to `count` more bytes of its script; epoll reports the socket readable.
    mutating func clientSends(_ count: Int) {
        let count = min(count, streamBytes - sentBytes)
        guard count > 0, !finSent else { return }
        sentBytes += count
        kernelInput += count
        readable(hangUp: false)
    }

    /// The client half-closes (a FIN): readable, with a hang-up.
    mutating func clientFinishes() {
        guard !finSent else { return }
        finSent = true
        finishedAfterAll = sentBytes == streamBytes
        readable(hangUp: true)
    }

    mutating func readable(hangUp: Bool) {
        guard !isClosed else { return }
        mayHaveInput = true
        if hangUp { peerHungUp = true }
        if state.isLingering { discardInput() } else { drive() }
    }

    /// The client reads `count` bytes of responses; epoll reports the socket writable.
    mutating func clientReads(_ count: Int) {
        let count = min(count, inFlight)
        guard count > 0, !isClosed else { return }
        inFlight -= count
        if state.isLingering { discardInput() } else { drive() }
    }

    /// The async handler answers (Worker+AsyncHandlers.swift `resume`).
    mutating func handlerAnswers() {
        guard handlerRunning, !isClosed else { return }
        switch state.phase {
        case .awaitingHandler:
            handlerRunning = false
            answer()
        case .streamingRequestBody:
            handlerRunning = false
            bodyDemand = false
            answer(close: true)
        default:
            return
        }
        drive()
    }

    /// A streaming-body handler asks for the next part (Worker+RequestBodies.swift `bodyDemand`).
    mutating func handlerWantsBody() {
        guard handlerRunning, !bodyDemand, !isClosed, case .streamingRequestBody = state.phase else { return }
        bodyDemand = true
        _ = event(.bodyWanted)
        drive()
    }

    /// The stream producer writes a part of `count` bytes (Worker+StreamedResponses.swift `streamWrite`).
    mutating func producerWrites(_ count: Int) {
        guard producerRunning, !producerAcknowledgement, !isClosed, case .streamingResponse = state.phase
        else { return }
        queue(bytes: count + 8)
        producerAcknowledgement = true
        drive()
    }

    /// The stream producer ends (`streamEnd`); `failed` cuts the body.
    mutating func producerEnds(failed: Bool) {
        guard producerRunning, !producerAcknowledgement, !isClosed,
              case .streamingResponse(_, let chunked) = state.phase else { return }
        producerRunning = false
        if !failed, chunked { queue(bytes: 5) }
        if failed || !chunked { refusedOrCut = true }
        _ = event(.responseStreamEnded(cut: failed, bytesFollow: buffered > 0))
        mayHaveInput = true
        drive()
    }

    /// The server drains (Worker.swift `beginDrain`).
    mutating func drain() {
        guard !isClosed, !draining else { return }
        draining = true
        mayHaveInput = true
        drive()
        guard !isClosed else { return }
        apply(event(.drain))
    }

    /// The sweep (Worker+Deadlines.swift): a passed deadline becomes a timer event.
    mutating func sweep() -> (deadline: Int64, action: ConnectionState.Action)? {
        guard !isClosed, let deadline = state.deadline(timeouts), deadline <= now else { return nil }
        let action = event(.timer)
        apply(action)
        return (deadline, action)
    }
}
