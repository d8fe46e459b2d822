import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// The connection's state machine on its own: no sockets, no sleeping — a manual clock (plain
/// milliseconds passed with each event).
@Suite("Connection state machine")
struct ConnectionStateTests {
    typealias State = ConnectionState
    typealias Phase = ConnectionState.Phase

    static let timeouts = State.Timeouts(
        headerMilliseconds: 3000, bodyMilliseconds: 4000, idleMilliseconds: 2000, writeMilliseconds: 5000,
        lingerMilliseconds: 1500, drainGraceMilliseconds: 1000)
    static let limits = State.InputLimits(headBytes: 80_000, proxyHeaderBytes: 4096, readBytes: 16_384)

    static func state(_ phase: Phase, output: State.Output = .idle, input: State.Input = .open) -> State {
        var state = State(now: 0, expectsProxyHeader: false)
        state.phase = phase
        state.output = output
        state.input = input
        return state
    }

    /// Every phase, with its times at 100 ms.
    static let phases: [Phase] = [
        .proxyHeader(since: 100), .idle(since: 100, .firstRequest), .idle(since: 100, .nextRequest),
        .idle(since: 100, .drainGrace), .readingHead(since: 100), .readingBody(lastRead: 100), .awaitingHandler,
        .streamingRequestBody(waitingSince: nil), .streamingRequestBody(waitingSince: 100),
        .streamingResponse(keepAlive: true, chunked: true), .closing(linger: false), .closing(linger: true),
        .lingering(since: 100, lastRead: 100), .closed,
    ]
    static let outputs: [State.Output] = [.idle, .pending, .blocked(since: 100)]
    static let events: [State.Event] = [
        .bytesRead, .endOfInput, .reset, .proxyHeaderRead, .headParsed, .answered(keepAlive: true, bytesFollow: false),
        .answered(keepAlive: true, bytesFollow: true), .answered(keepAlive: false, bytesFollow: false),
        .handlerStarted, .requestBodyStreamStarted, .bodyWanted, .bodyDelivered, .requestBodyComplete,
        .responseStreamStarted(keepAlive: true, chunked: true), .responseStreamEnded(cut: false, bytesFollow: false),
        .responseStreamEnded(cut: true, bytesFollow: false), .refused, .queued, .wroteAll, .wroteSome, .wouldBlock,
        .timer, .drain, .settled(inputPending: false), .settled(inputPending: true),
    ]

    // MARK: Every state × every event

    @Test("every state × event: closed is terminal, a reset always closes, the machine is deterministic",
          arguments: phases)
    func everyStateAndEvent(phase: Phase) {
        for output in Self.outputs {
            for input in [State.Input.open, .ended] {
                for event in Self.events {
                    var first = Self.state(phase, output: output, input: input)
                    var second = first
                    let action = first.on(event, now: 500)
                    #expect(second.on(event, now: 500) == action && first == second)
                    if phase == .closed {
                        #expect(action == .none && first.phase == .closed)
                    }
                    if event == .reset, phase != .closed {
                        #expect(action == .close && first.phase == .closed)
                    }
                    // An action that ends the connection always leaves it closed (or lingering, for .linger).
                    switch action {
                    case .close, .timedOut: #expect(first.phase == .closed)
                    case .linger: #expect(first.isLingering)
                    case .none: break
                    }
                }
            }
        }
    }

    @Test("every state that waits on the client has a deadline; the others wait on nobody", arguments: phases)
    func waitingStatesHaveDeadlines(phase: Phase) {
        let state = Self.state(phase)
        let waitsOnClient: Bool
        switch phase {
        case .proxyHeader, .idle, .readingHead, .readingBody, .streamingRequestBody(.some), .lingering: waitsOnClient = true
        default: waitsOnClient = false
        }
        #expect((state.deadline(Self.timeouts) != nil) == waitsOnClient)
        // A client that does not read its answers is waited on in every state but lingering and closed.
        let blocked = Self.state(phase, output: .blocked(since: 100))
        if phase != .closed, !blocked.isLingering {
            #expect(blocked.deadline(Self.timeouts) == 100 + Self.timeouts.writeMilliseconds)
        }
    }

    // MARK: Deadlines

    static let expectedDeadlines: [(Phase, Int64)] = [
        (.proxyHeader(since: 10), 3010),
        (.idle(since: 10, .firstRequest), 2010),  // min(header, idle)
        (.idle(since: 10, .nextRequest), 2010),
        (.idle(since: 10, .drainGrace), 1010),
        (.readingHead(since: 10), 3010),
        (.readingBody(lastRead: 10), 4010),
        (.streamingRequestBody(waitingSince: 10), 4010),
        (.lingering(since: 10, lastRead: 10), 1510),
    ]

    @Test("each deadline runs from its own moment", arguments: expectedDeadlines)
    func deadlines(phase: Phase, expected: Int64) {
        #expect(Self.state(phase).deadline(Self.timeouts) == expected)
    }

    @Test("a busy keep-alive connection's deadline moves with every response (it is not fixed at the first)")
    func keepAliveDeadlineMoves() {
        var state = State(now: 0, expectsProxyHeader: false)
        var now: Int64 = 0
        for _ in 0..<20 {  // a request every 500 ms for 10 s, keep-alive 2 s
            now += 500
            _ = state.on(.bytesRead, now: now)
            _ = state.on(.answered(keepAlive: true, bytesFollow: false), now: now)
            _ = state.on(.queued, now: now)
            _ = state.on(.wroteAll, now: now + 1)
            #expect(state.on(.settled(inputPending: false), now: now + 1) == .none)
            #expect(state.deadline(Self.timeouts) == now + 1 + 2000)
        }
    }

    @Test("each pipelined head gets its own header timeout, from when it became the current request")
    func pipelinedHeadsHaveTheirOwnDeadline() {
        var state = State(now: 0, expectsProxyHeader: false)
        _ = state.on(.bytesRead, now: 0)  // request 1 and part of 2
        _ = state.on(.answered(keepAlive: true, bytesFollow: true), now: 0)
        #expect(state.phase == .readingHead(since: 0))
        _ = state.on(.bytesRead, now: 1700)  // rest of 2, part of 3
        _ = state.on(.answered(keepAlive: true, bytesFollow: true), now: 1700)
        #expect(state.deadline(Self.timeouts) == Int64(4700))
        _ = state.on(.bytesRead, now: 3400)  // rest of 3: within its own 3 s
        #expect(state.deadline(Self.timeouts)! > 3400)
    }

    @Test("a new connection waits min(header, keep-alive) for its first byte, then a header timeout for its head")
    func firstHeadDeadlines() {
        var state = State(now: 0, expectsProxyHeader: false)
        #expect(state.deadline(Self.timeouts) == Int64(2000))
        _ = state.on(.bytesRead, now: 1500)
        #expect(state.deadline(Self.timeouts) == Int64(4500))
        _ = state.on(.bytesRead, now: 4000)  // trickled bytes do not move it
        #expect(state.deadline(Self.timeouts) == Int64(4500))
    }

    @Test("the keep-alive timeout runs from the last byte written, not from when the response was queued")
    func idleRunsFromTheLastByte() {
        var state = Self.state(.readingHead(since: 0))
        _ = state.on(.answered(keepAlive: true, bytesFollow: false), now: 0)
        _ = state.on(.queued, now: 0)
        _ = state.on(.wroteSome, now: 0)
        #expect(state.deadline(Self.timeouts) == 5000)  // write timeout while blocked
        _ = state.on(.wroteSome, now: 4000)  // the client reads: progress moves the write deadline
        #expect(state.deadline(Self.timeouts) == 9000)
        _ = state.on(.wroteAll, now: 60_000)
        #expect(state.deadline(Self.timeouts) == 62_000)
    }

    @Test("the output state is what the last write said, never sticky")
    func outputFollowsTheLastWrite() {
        var state = Self.state(.awaitingHandler)
        _ = state.on(.queued, now: 1)
        #expect(state.output == .pending)
        _ = state.on(.wouldBlock, now: 2)
        #expect(state.output == .blocked(since: 2))
        _ = state.on(.wouldBlock, now: 3)  // no progress: the write timeout keeps running from 2
        #expect(state.output == .blocked(since: 2))
        _ = state.on(.wroteAll, now: 4)
        #expect(state.output == .idle)
    }

    // MARK: Timers

    static let timerActions: [(Phase, State.Action)] = [
        (.proxyHeader(since: 0), .timedOut(.header, answer: nil)),
        (.idle(since: 0, .firstRequest), .timedOut(.idle, answer: nil)),
        (.idle(since: 0, .nextRequest), .timedOut(.idle, answer: nil)),
        (.readingHead(since: 0), .timedOut(.header, answer: .requestTimeout)),
        (.readingBody(lastRead: 0), .timedOut(.body, answer: .requestTimeout)),
        (.streamingRequestBody(waitingSince: 0), .timedOut(.body, answer: .requestTimeout)),
        (.lingering(since: 0, lastRead: 0), .close),
        (.awaitingHandler, .none),
        (.streamingResponse(keepAlive: true, chunked: true), .none),
    ]

    @Test("what a passed deadline means in each state", arguments: timerActions)
    func timers(phase: Phase, expected: State.Action) {
        var state = Self.state(phase)
        #expect(state.on(.timer, now: 100_000) == expected)
        var blocked = Self.state(phase, output: .blocked(since: 0))
        if !blocked.isLingering { #expect(blocked.on(.timer, now: 100_000) == .timedOut(.write, answer: nil)) }
    }

    // MARK: Closing

    @Test("after EOF, the complete requests are answered, then the connection closes", arguments: [
        Phase.awaitingHandler, .streamingResponse(keepAlive: true, chunked: true),
    ])
    func endOfInputWaitsForTheAnswer(phase: Phase) {
        var state = Self.state(phase)
        #expect(state.on(.endOfInput, now: 1) == .none)
        #expect(state.on(.settled(inputPending: false), now: 1) == .none)  // still answering
        if case .awaitingHandler = phase {
            _ = state.on(.answered(keepAlive: true, bytesFollow: false), now: 2)
        } else {
            _ = state.on(.responseStreamEnded(cut: false, bytesFollow: false), now: 2)
        }
        _ = state.on(.queued, now: 2)
        #expect(state.on(.settled(inputPending: false), now: 2) == .none)  // its bytes are not written yet
        _ = state.on(.wroteAll, now: 3)
        #expect(state.on(.settled(inputPending: false), now: 3) == .close)
    }

    @Test("after EOF with nothing to answer, the connection closes at once", arguments: [
        Phase.idle(since: 0, .nextRequest), .readingHead(since: 0), .readingBody(lastRead: 0), .proxyHeader(since: 0),
        .streamingRequestBody(waitingSince: 0),
    ])
    func endOfInputWithNothingToAnswer(phase: Phase) {
        var state = Self.state(phase)
        _ = state.on(.endOfInput, now: 1)
        #expect(state.on(.settled(inputPending: true), now: 1) == .close)
    }

    @Test("a closing response ends the connection once written: at once, or lingering after an error")
    func closingAfterTheLastResponse() {
        var plain = Self.state(.closing(linger: false), output: .pending)
        #expect(plain.on(.settled(inputPending: false), now: 1) == .none)
        _ = plain.on(.wroteAll, now: 2)
        #expect(plain.on(.settled(inputPending: false), now: 2) == .close)

        var unread = Self.state(.closing(linger: false))
        // The client kept sending (bytes buffered, or waiting in the socket): closing now would answer them
        // with a reset that destroys the response in flight.
        #expect(unread.on(.settled(inputPending: true), now: 2) == .linger)
        #expect(unread.deadline(Self.timeouts) == Int64(1502))
        #expect(unread.on(.endOfInput, now: 3) == .close)

        var error = Self.state(.closing(linger: true))
        #expect(error.on(.settled(inputPending: false), now: 2) == .linger)
        var errorAfterEOF = Self.state(.closing(linger: true), input: .ended)
        #expect(errorAfterEOF.on(.settled(inputPending: false), now: 2) == .close)
    }

    @Test("a drain closes idle connections, gives a new one a moment, and leaves busy ones to finish")
    func drain() {
        var idle = Self.state(.idle(since: 0, .nextRequest))
        #expect(idle.on(.drain, now: 10) == .close)
        var fresh = Self.state(.idle(since: 0, .firstRequest))
        #expect(fresh.on(.drain, now: 10) == .none)
        #expect(fresh.deadline(Self.timeouts) == Int64(1010))
        var writing = Self.state(.idle(since: 0, .nextRequest), output: .blocked(since: 0))
        #expect(writing.on(.drain, now: 10) == .none)
        #expect(writing.phase == .closing(linger: false))
        var busy = Self.state(.awaitingHandler)
        #expect(busy.on(.drain, now: 10) == .none)
        #expect(busy.phase == .awaitingHandler)
    }

    @Test("a response that does not keep the connection alive leads to closing; a cut stream too")
    func closingResponses() {
        var state = Self.state(.readingHead(since: 0))
        _ = state.on(.answered(keepAlive: false, bytesFollow: true), now: 1)
        #expect(state.phase == .closing(linger: false))
        var stream = Self.state(.streamingResponse(keepAlive: true, chunked: true))
        _ = stream.on(.responseStreamEnded(cut: true, bytesFollow: false), now: 1)
        #expect(stream.phase == .closing(linger: false))
    }

    @Test("a lingering close lasts while the client keeps sending, within a total")
    func lingeringFollowsTheClient() {
        var state = Self.state(.lingering(since: 0, lastRead: 0))
        #expect(state.deadline(Self.timeouts) == Int64(1500))
        _ = state.on(.bytesRead, now: 1000)
        #expect(state.deadline(Self.timeouts) == Int64(2500))
        _ = state.on(.bytesRead, now: 29_500)
        #expect(state.deadline(Self.timeouts) == Int64(30_000))  // lingerTotal from the shutdown
        #expect(state.on(.endOfInput, now: 29_600) == .close)
    }

    @Test("a head pipelined behind a slow download gets its header timeout from the download's last byte")
    func pipelinedHeadAfterASlowDownload() {
        var state = Self.state(.readingHead(since: 0))
        _ = state.on(.answered(keepAlive: true, bytesFollow: true), now: 0)
        _ = state.on(.queued, now: 0)
        _ = state.on(.wroteSome, now: 0)
        _ = state.on(.wroteSome, now: 4000)
        _ = state.on(.wroteAll, now: 8000)  // the client read for 8 s, longer than the 3 s header timeout
        #expect(state.deadline(Self.timeouts) == Int64(11_000))
    }

    @Test("a drain during a streamed response closes the connection after its last chunk")
    func drainDuringAStream() {
        var state = Self.state(.streamingResponse(keepAlive: true, chunked: true))
        #expect(state.on(.drain, now: 1) == .none)
        _ = state.on(.responseStreamEnded(cut: false, bytesFollow: false), now: 2)
        #expect(state.phase == .closing(linger: false))
    }

    // MARK: Input budgets

    @Test("the input budget: a head up to the parser's limit, a declared body, nothing while answers wait")
    func inputBudgets() {
        func budget(_ phase: Phase, head: Int = 0, body: Int? = nil, backedUp: Bool = false) -> Int {
            Self.state(phase).inputBudget(Self.limits, headLength: head, declaredBody: body, answersBackedUp: backedUp)
        }
        #expect(budget(.idle(since: 0, .nextRequest)) == 80_000)
        #expect(budget(.readingHead(since: 0)) == 80_000)
        #expect(budget(.readingHead(since: 0), backedUp: true) == 0)
        #expect(budget(.proxyHeader(since: 0)) == 4096)
        #expect(budget(.readingBody(lastRead: 0), head: 100, body: 5000) == 5100)
        #expect(budget(.readingBody(lastRead: 0), head: 100, body: nil) == 100 + 16_384)  // chunked: one read
        #expect(budget(.streamingRequestBody(waitingSince: 0), head: 100) == 100 + 16_384)
        for phase in [Phase.awaitingHandler, .streamingRequestBody(waitingSince: nil),
                      .streamingResponse(keepAlive: true, chunked: true), .closing(linger: false), .closed] {
            #expect(budget(phase) == 0)
        }
    }
}
