import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// A stream's worker holds one pending continuation per connection; a second operation while one waits
/// must fail at once, not replace the first and leave it waiting forever (issue 11, item 13). No socket:
/// the test plays the worker through a `WorkerMailbox`'s mailbox.
@Suite("Streams refuse overlapping operations")
struct StreamConcurrencyTests {
    @Test("a second BodyWriter.write while one waits throws concurrentUse at once; the first still completes")
    func overlappingWrites() async throws {
        let handle = try WorkerMailbox()
        let writer = BodyWriter(channel: MailboxChannel(mailbox: handle, token: 7))
        let first = Task { try await writer.write([1]) }
        guard case .streamWrite(token: 7, let bytes, let acknowledgement)? = await nextMessage(handle) else {
            Issue.record("the first write sent nothing")
            return
        }
        #expect(bytes == [1])
        // Closed mailbox: a second write that got past the gate would be refused, not left waiting.
        handle.close()
        let copy = writer  // another task's copy shares the gate
        await #expect(throws: StreamError.concurrentUse) { try await copy.write([2]) }
        acknowledgement.accepted()
        try await first.value
        // The gate opened again when the first write returned: the next one reaches the (closed) worker.
        await #expect(throws: StreamError.connectionClosed) { try await writer.write([3]) }
    }

    @Test("a second next() on a streamed request body while one waits throws concurrentUse at once")
    func overlappingReads() async throws {
        let handle = try WorkerMailbox()
        let stream = RequestBodyStream(source: .streamed(MailboxChannel(mailbox: handle, token: 9)))
        let first = Task { () -> [UInt8]? in
            var iterator = stream.makeAsyncIterator()
            return try await iterator.next()
        }
        guard case .bodyDemand(token: 9, let demand)? = await nextMessage(handle) else {
            Issue.record("the first next() sent nothing")
            return
        }
        handle.close()
        // A second iterator of the same body, as another task would make.
        var second = stream.makeAsyncIterator()
        var secondError: StreamError?
        do {
            _ = try await second.next()
        } catch let error as StreamError {
            secondError = error
        }
        #expect(secondError == .concurrentUse)
        demand.deliver([4, 5])
        #expect(try await first.value == [4, 5])
    }

    /// The first message the code under test sends to the worker, waited for without blocking a thread.
    private func nextMessage(_ handle: WorkerMailbox) async -> WorkerMessage? {
        var taken: [WorkerMessage] = []
        _ = await eventually { handle.takeMessages(into: &taken); return !taken.isEmpty }
        return taken.first
    }
}
