import Synchronization

/// The kinds of timeout a connection can hit, each counted on its own.
enum TimeoutKind: Int, Sendable, CaseIterable {
    case header, body, idle, write
}

/// One worker's counters as plain integers: only the owning worker thread touches them.
struct WorkerCounters: Sendable, Equatable {
    var accepted = 0
    var closed = 0
    var closedByPeer = 0
    /// Connections answered 503 and closed because a connection limit was reached.
    var rejected = 0
    var timeouts: [Int] = Array(repeating: 0, count: TimeoutKind.allCases.count)
    var requests = 0
    /// Indexed by status class: 1xx…5xx at 1…5.
    var statusClasses: [Int] = Array(repeating: 0, count: 6)
    var bytesReceived = 0
    var bytesSent = 0

    var timedOut: Int { timeouts.reduce(0, +) }
    var active: Int { accepted - closed }

    static func + (lhs: WorkerCounters, rhs: WorkerCounters) -> WorkerCounters {
        var sum = lhs
        sum.accepted += rhs.accepted
        sum.closed += rhs.closed
        sum.closedByPeer += rhs.closedByPeer
        sum.rejected += rhs.rejected
        for index in sum.timeouts.indices { sum.timeouts[index] += rhs.timeouts[index] }
        sum.requests += rhs.requests
        for index in sum.statusClasses.indices { sum.statusClasses[index] += rhs.statusClasses[index] }
        sum.bytesReceived += rhs.bytesReceived
        sum.bytesSent += rhs.bytesSent
        return sum
    }
}

/// A worker's counters as atomics that any thread may read. The worker counts in plain integers and
/// publishes them here with relaxed stores once per loop iteration — a store, not a locked add, per
/// counter — and `/status` adds up every worker's snapshot when it is read. No lock is shared.
final class PublishedCounters: Sendable {
    private let accepted = Atomic<Int>(0)
    private let closed = Atomic<Int>(0)
    private let closedByPeer = Atomic<Int>(0)
    private let rejected = Atomic<Int>(0)
    private let headerTimeouts = Atomic<Int>(0)
    private let bodyTimeouts = Atomic<Int>(0)
    private let idleTimeouts = Atomic<Int>(0)
    private let writeTimeouts = Atomic<Int>(0)
    private let requests = Atomic<Int>(0)
    private let informational = Atomic<Int>(0)
    private let successful = Atomic<Int>(0)
    private let redirection = Atomic<Int>(0)
    private let clientErrors = Atomic<Int>(0)
    private let serverErrors = Atomic<Int>(0)
    private let bytesReceived = Atomic<Int>(0)
    private let bytesSent = Atomic<Int>(0)

    func publish(_ counters: WorkerCounters) {
        accepted.store(counters.accepted, ordering: .relaxed)
        closed.store(counters.closed, ordering: .relaxed)
        closedByPeer.store(counters.closedByPeer, ordering: .relaxed)
        rejected.store(counters.rejected, ordering: .relaxed)
        headerTimeouts.store(counters.timeouts[TimeoutKind.header.rawValue], ordering: .relaxed)
        bodyTimeouts.store(counters.timeouts[TimeoutKind.body.rawValue], ordering: .relaxed)
        idleTimeouts.store(counters.timeouts[TimeoutKind.idle.rawValue], ordering: .relaxed)
        writeTimeouts.store(counters.timeouts[TimeoutKind.write.rawValue], ordering: .relaxed)
        requests.store(counters.requests, ordering: .relaxed)
        informational.store(counters.statusClasses[1], ordering: .relaxed)
        successful.store(counters.statusClasses[2], ordering: .relaxed)
        redirection.store(counters.statusClasses[3], ordering: .relaxed)
        clientErrors.store(counters.statusClasses[4], ordering: .relaxed)
        serverErrors.store(counters.statusClasses[5], ordering: .relaxed)
        bytesReceived.store(counters.bytesReceived, ordering: .relaxed)
        bytesSent.store(counters.bytesSent, ordering: .relaxed)
    }

    func snapshot() -> WorkerCounters {
        var counters = WorkerCounters()
        counters.accepted = accepted.load(ordering: .relaxed)
        counters.closed = closed.load(ordering: .relaxed)
        counters.closedByPeer = closedByPeer.load(ordering: .relaxed)
        counters.rejected = rejected.load(ordering: .relaxed)
        counters.timeouts[TimeoutKind.header.rawValue] = headerTimeouts.load(ordering: .relaxed)
        counters.timeouts[TimeoutKind.body.rawValue] = bodyTimeouts.load(ordering: .relaxed)
        counters.timeouts[TimeoutKind.idle.rawValue] = idleTimeouts.load(ordering: .relaxed)
        counters.timeouts[TimeoutKind.write.rawValue] = writeTimeouts.load(ordering: .relaxed)
        counters.requests = requests.load(ordering: .relaxed)
        counters.statusClasses = [
            0, informational.load(ordering: .relaxed), successful.load(ordering: .relaxed),
            redirection.load(ordering: .relaxed), clientErrors.load(ordering: .relaxed),
            serverErrors.load(ordering: .relaxed),
        ]
        counters.bytesReceived = bytesReceived.load(ordering: .relaxed)
        counters.bytesSent = bytesSent.load(ordering: .relaxed)
        return counters
    }
}
