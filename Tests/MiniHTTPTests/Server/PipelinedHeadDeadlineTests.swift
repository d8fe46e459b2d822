import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Found by the connection fuzz target (Tests/Fuzz/FuzzConnection.swift): a head pipelined behind a large
/// response got its header deadline from the moment that response was queued, so a client that took longer
/// than the header timeout to read the response (well within the write timeout) found the deadline of its
/// next request already passed the moment the response was out — a 408 at the next sweep.
@Suite("The header deadline of a pipelined head")
struct PipelinedHeadDeadlineTests {
    static let timeouts = ConnectionState.Timeouts(
        headerMilliseconds: 1_000, bodyMilliseconds: 5_000, idleMilliseconds: 5_000, writeMilliseconds: 30_000)

    @Test("runs from the last byte of the response before it, not from when that response was queued")
    func runsFromTheLastByteOfTheResponse() {
        var state = ConnectionState(now: 0, expectsProxyHeader: false)
        _ = state.on(.bytesRead, now: 0)
        _ = state.on(.queued, now: 10)
        _ = state.on(.answered(keepAlive: true, bytesFollow: true), now: 10)  // part of the next head is here
        _ = state.on(.wroteSome, now: 10)  // a large response: the socket is full
        #expect(state.deadline(Self.timeouts) == 30_010)  // the write timeout while the client reads
        for read in stride(from: 500, through: 4_500, by: 500) {
            _ = state.on(.wroteSome, now: Int64(read))  // the client reads slowly, within the write timeout
        }
        _ = state.on(.wroteAll, now: 5_000)
        #expect(state.phase == .readingHead(since: 5_000))
        #expect(state.deadline(Self.timeouts) == 6_000)
    }

    @Test("still runs from the head's first byte while no response is being written")
    func trickledHeadKeepsItsDeadline() {
        var state = ConnectionState(now: 0, expectsProxyHeader: false)
        _ = state.on(.bytesRead, now: 100)
        _ = state.on(.bytesRead, now: 900)
        _ = state.on(.settled(inputPending: true), now: 900)
        #expect(state.deadline(Self.timeouts) == 1_100)
    }
}
