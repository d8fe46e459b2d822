import Synchronization

/// What other threads may tell a worker.
enum WorkerMessage: Sendable {
    /// Stop accepting, finish what is in flight, close connections as they go idle; close everything
    /// at the deadline (monotonic milliseconds).
    case drain(deadline: Int64)
    /// An async handler's response for the connection `token`, answering its request number `sequence`.
    case response(token: UInt64, sequence: Int, Response)
}

/// The thread-safe side of a worker: its mailbox and wake-up descriptor, and its published counters.
final class WorkerHandle: Sendable {
    let wakeup: EventFD
    let counters = PublishedCounters()
    private let mailbox = Locked<[WorkerMessage]>([])

    init() throws(SystemError) {
        wakeup = try EventFD()
    }

    /// Queues messages and wakes the worker. Safe from any thread.
    func send(_ messages: [WorkerMessage]) {
        guard !messages.isEmpty else { return }
        mailbox.withLock { $0.append(contentsOf: messages) }
        wakeup.signal()
    }

    /// Queues one message and wakes the worker. Safe from any thread.
    func send(_ message: WorkerMessage) {
        mailbox.withLock { $0.append(message) }
        wakeup.signal()
    }

    /// Takes every queued message (called by the worker).
    func takeMessages(into buffer: inout [WorkerMessage]) {
        mailbox.withLock { queued in
            swap(&queued, &buffer)
        }
    }
}
