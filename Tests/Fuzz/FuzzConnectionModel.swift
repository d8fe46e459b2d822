// The executor model for FuzzConnection: the worker's drive (Worker+Requests.swift, Worker+Reading.swift,
// Worker+Writing.swift, Worker+Closing.swift, …) with the socket, the parser and the handlers replaced by
// counters, so every event reaches `ConnectionState` in the order and under the conditions the worker
// sends it. Bytes are counted, not stored: a request is a head of `headBytes` and a body, and a response a
// number of bytes.

/// One request of the client's script.
struct ScriptedRequest {
    enum Kind { case sync, async, streamedResponse, streamedBody, malformed, continueRefused }
    var headBytes: Int
    /// Content-Length (nil: none) or the raw size of a chunked body.
    var bodyBytes: Int?
    var chunked: Bool
    var kind: Kind
    var keepAlive: Bool
    var expectsContinue: Bool
    var responseBytes: Int
    var size: Int { headBytes + (bodyBytes ?? 0) }
}

let reportResetClose = true

/// Why the modelled connection closed.
enum CloseReason: Equatable { case open, byState, timeout, reset }

struct ConnectionModel {
    static let outputHighWater = 8 * 1024  // Worker.outputHighWater
    static let inlineBodyBytes = 16 * 1024  // Worker.inlineBodyBytes
    static let streamHighWater = 64 * 1024  // Worker.streamHighWater
    static let continueBytes = 25

    var state: ConnectionState
    var now: Int64 = 0
    let timeouts: ConnectionState.Timeouts
    let limits: ConnectionState.InputLimits
    let proxyHeaderBytes: Int
    let script: [ScriptedRequest]

    // The client side of the socket.
    var sentBytes = 0           // of the script (proxy header first), handed to the kernel
    var kernelInput = 0         // sent, not yet read by the server
    var finSent = false
    var finishedAfterAll = false  // the FIN came after the whole script
    var inFlight = 0            // written by the server, not yet read by the client
    let socketCapacity: Int

    // The worker's view.
    var mayHaveInput = true
    var peerHungUp = false
    var buffered = 0            // unparsed input bytes (from the current request's head on)
    var proxyDone: Bool
    var current = 0             // index of the request at inputStart
    var hasHead = false
    var chunkedConsumed = 0
    var streamedRemaining: Int?
    var sentContinue = false
    var output = 0              // queued, not yet written
    var tail = 0                // of it, the part beyond the inline size (backs answers up)
    var draining = false

    // Work the server has started and that will come back (a handler, a stream producer).
    var handlerRunning = false
    var bodyDemand = false
    var producerRunning = false
    var producerAcknowledgement = false  // a part waits for room (Worker.streamAcknowledgement)

    // What the client got.
    var answered = 0            // responses queued, in request order
    var closeReason = CloseReason.open
    var refusedOrCut = false    // an error, a cut stream or a close-delimited ending: later requests go unanswered
    var driveTurns = 0

    init(script: [ScriptedRequest], timeouts: ConnectionState.Timeouts, limits: ConnectionState.InputLimits,
         proxyHeaderBytes: Int?, socketCapacity: Int) {
        self.script = script
        self.timeouts = timeouts
        self.limits = limits
        self.proxyHeaderBytes = proxyHeaderBytes ?? 0
        self.proxyDone = proxyHeaderBytes == nil
        self.socketCapacity = socketCapacity
        state = ConnectionState(now: 0, expectsProxyHeader: proxyHeaderBytes != nil)
    }

    var isClosed: Bool { state.isClosed }
    var streamBytes: Int { proxyHeaderBytes + script.reduce(0) { $0 + $1.size } }
    var request: ScriptedRequest? { current < script.count ? script[current] : nil }
    var answersBackedUp: Bool { output - tail >= Self.outputHighWater || tail > 0 }

    mutating func event(_ event: ConnectionState.Event) -> ConnectionState.Action {
        state.on(event, now: now)
    }

    // MARK: Carrying out actions (Worker+Closing.swift)

    mutating func apply(_ action: ConnectionState.Action) {
        switch action {
        case .none:
            return
        case .close:
            close(.byState)
        case .linger:
            discardInput()
        case .timedOut(_, let answer):
            if answer != nil {
                queue(bytes: 120)
                _ = writeOnce()
            }
            close(.timeout)
        }
    }

    mutating func close(_ reason: CloseReason) {
        // RFC 9112 §9.6: closing with the client's bytes unread makes the kernel send a reset, which can
        // destroy the answer still on its way to the client; such a close must linger instead.
        if reportResetClose, reason == .byState, kernelInput > 0, inFlight > 0 {
            fatalError("closed with \(kernelInput) client bytes unread, \(inFlight) answer bytes on their way: a reset\n  state: \(state), request \(current)/\(script.count), buffered \(buffered)")
        }
        if !state.isClosed { _ = event(.reset) }
        if closeReason == .open { closeReason = reason }
        handlerRunning = false
        producerRunning = false
        bodyDemand = false
    }

    mutating func discardInput() {
        while !isClosed {
            if kernelInput > 0 {
                kernelInput = 0
            } else if finSent {
                apply(event(.endOfInput))
            } else {
                return
            }
        }
    }

    mutating func settle() {
        guard !isClosed else { return }
        apply(event(.settled(inputPending: buffered > 0 || mayHaveInput)))
    }

    // MARK: The drive (Worker+Requests.swift)

    mutating func drive() {
        while !isClosed {
            driveTurns += 1
            guard driveTurns < 100_000 else { fatalError("the drive loops without progress: \(state)") }
            let stoppedByOutput = answerBuffered()
            guard !isClosed else { return }
            guard flush() else { break }
            if producerAcknowledgement, output < Self.streamHighWater { producerAcknowledgement = false }
            if case .closing = state.phase { break }
            if stoppedByOutput { continue }
            switch readInput() {
            case .progress: continue
            case .nothing: break
            case .full:
                refuse()
                continue
            case .closed: return
            }
            break
        }
        settle()
    }

    mutating func answerBuffered() -> Bool {
        while !isClosed, state.parsesInput {
            guard buffered > 0 || hasHead else { return false }
            if answersBackedUp { return true }
            switch state.phase {
            case .proxyHeader:
                guard buffered >= proxyHeaderBytes, proxyHeaderBytes <= limits.proxyHeaderBytes else { return false }
                buffered -= proxyHeaderBytes
                proxyDone = true
                _ = event(.proxyHeaderRead)
            case .idle, .readingHead:
                guard parseHead() else { return false }
            case .readingBody:
                guard readBody() else { return false }
            default:
                return false
            }
        }
        if case .streamingRequestBody = state.phase, bodyDemand { feedBody() }
        return false
    }

    mutating func parseHead() -> Bool {
        if case .idle = state.phase { _ = event(.bytesRead) }
        guard let request, request.headBytes <= limits.headBytes, buffered >= request.headBytes else { return false }
        hasHead = true
        switch request.kind {
        case .malformed:
            refuse()
            return false
        case .streamedBody where request.bodyBytes != nil:
            streamedRemaining = request.chunked ? nil : request.bodyBytes
            if request.expectsContinue {
                queue(bytes: Self.continueBytes)
                sentContinue = true
            }
            handlerRunning = true
            _ = event(.requestBodyStreamStarted)
            return true
        default:
            break
        }
        guard request.bodyBytes != nil else {
            dispatch(bodyLength: 0)
            return true
        }
        _ = event(.headParsed)
        return true
    }

    mutating func readBody() -> Bool {
        guard let request, let body = request.bodyBytes else { return false }
        if !request.chunked {
            guard buffered >= request.headBytes + body else { return answerExpectation(request) }
            dispatch(bodyLength: body)
            return true
        }
        let take = min(buffered - request.headBytes, body - chunkedConsumed)
        chunkedConsumed += take
        buffered -= take
        guard chunkedConsumed == body else { return answerExpectation(request) }
        dispatch(bodyLength: 0)
        return true
    }

    mutating func answerExpectation(_ request: ScriptedRequest) -> Bool {
        guard request.expectsContinue, !sentContinue else { return false }
        sentContinue = true
        if request.kind == .continueRefused {
            answer(close: true)
            return true
        }
        queue(bytes: Self.continueBytes)
        return false
    }

    mutating func dispatch(bodyLength: Int) {
        guard let request else { return }
        switch request.kind {
        case .async, .streamedBody:
            handlerRunning = true
            _ = event(.handlerStarted)
        default:
            answer()
        }
    }

    /// Worker+Responding.swift `answer`: queue the response, consume the request, move the state on.
    mutating func answer(close: Bool = false) {
        guard let request else { return }
        let streams = request.kind == .streamedResponse
        let http11 = request.keepAlive  // a request that does not keep alive stands for HTTP/1.0 here
        let keepAlive = !close && request.keepAlive && !draining
        queue(bytes: request.responseBytes)
        answered += 1
        // A chunked or streamed body left the buffer as it was decoded or handed over.
        let bodyInBuffer = request.chunked || request.kind == .streamedBody ? 0 : request.bodyBytes ?? 0
        let consumed = close ? request.headBytes : request.headBytes + bodyInBuffer
        if close || !keepAlive { refusedOrCut = true }
        buffered -= min(consumed, buffered)
        current += 1
        hasHead = false
        chunkedConsumed = 0
        streamedRemaining = nil
        sentContinue = false
        if streams && !close {
            producerRunning = true
            _ = event(.responseStreamStarted(keepAlive: keepAlive, chunked: http11))
        } else if close {
            _ = event(.refused)
        } else {
            _ = event(.answered(keepAlive: keepAlive, bytesFollow: buffered > 0))
        }
    }

    mutating func refuse() {
        queue(bytes: 100)
        refusedOrCut = true
        _ = event(.refused)
    }

    mutating func queue(bytes: Int) {
        output += bytes
        if bytes > Self.inlineBodyBytes { tail += bytes - Self.inlineBodyBytes }
        _ = event(.queued)
    }
}
