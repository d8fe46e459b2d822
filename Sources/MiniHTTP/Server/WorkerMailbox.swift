import Synchronization
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// What other threads may tell a worker.
enum WorkerMessage: Sendable {
    /// Stop accepting, finish what is in flight, close connections as they go idle; close everything
    /// at the deadline (monotonic milliseconds).
    case drain(deadline: Int64)
    /// An async handler's response for the connection `token`, answering its request number `sequence`.
    case response(token: UInt64, sequence: Int, Response)
    /// The next part of a streamed body for the connection `token`; acknowledged when taken.
    case streamWrite(token: UInt64, [UInt8], StreamAcknowledgement)
    /// A streamed body is complete (or, `failed`, cut short by its producer).
    case streamEnd(token: UInt64, failed: Bool)
    /// A handler asks for the next chunk of its streamed request body.
    case bodyDemand(token: UInt64, BodyDemand)
    /// Serve this connected socket as if accepted from `peer` (an in-process connection, `Server+InProcess.swift`).
    case adopt(Int32, peer: SocketAddress)

    /// Tells whoever waits on this message that it will never be handled (the worker has stopped).
    func refuse() {
        switch self {
        case .streamWrite(_, _, let acknowledgement): acknowledgement.refused()
        case .bodyDemand(_, let demand): demand.fail(StreamError.connectionClosed)
        case .adopt(let fd, _): Syscall.close(fd)
        default: break
        }
    }
}

/// The thread-safe side of a worker: its queue of messages and wake-up descriptor, and its published
/// counters.
final class WorkerMailbox: Sendable {
    let wakeup: EventFD
    let counters = PublishedCounters()
    private let mailbox = Locked<Mailbox>(Mailbox())

    private struct Mailbox {
        var messages: [WorkerMessage] = []
        /// The worker has stopped: nothing sent now would be handled.
        var closed = false
    }

    init() throws(SystemError) {
        wakeup = try EventFD()
    }

    /// Queues one message and wakes the worker. Safe from any thread. Returns false, queuing nothing, when
    /// the worker has stopped.
    @discardableResult
    func send(_ message: WorkerMessage) -> Bool {
        let queued = mailbox.withLock { mailbox -> Bool in
            guard !mailbox.closed else { return false }
            mailbox.messages.append(message)
            return true
        }
        if queued { wakeup.signal() }
        return queued
    }

    /// Called by the worker as it stops: later sends fail, and what is still queued is refused.
    func close() {
        let left = mailbox.withLock { mailbox -> [WorkerMessage] in
            mailbox.closed = true
            defer { mailbox.messages = [] }
            return mailbox.messages
        }
        for message in left { message.refuse() }
    }

    /// Takes every queued message (called by the worker).
    func takeMessages(into buffer: inout [WorkerMessage]) {
        mailbox.withLock { mailbox in
            swap(&mailbox.messages, &buffer)
        }
    }
}

/// One connection's streamed bodies, reached from a handler's task through its worker's mailbox.
struct MailboxChannel: ConnectionChannel {
    let mailbox: WorkerMailbox
    let token: UInt64

    func write(_ bytes: [UInt8], acknowledgement: StreamAcknowledgement) -> Bool {
        mailbox.send(.streamWrite(token: token, bytes, acknowledgement))
    }

    func demand(_ demand: BodyDemand) -> Bool {
        mailbox.send(.bodyDemand(token: token, demand))
    }
}
