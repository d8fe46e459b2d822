import Synchronization
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// How `/metrics` groups request methods.
enum MethodGroup: Int, Sendable, CaseIterable {
    case get, head, post, other

    init(_ method: HTTPMethod) {
        switch method {
        case .get: self = .get
        case .head: self = .head
        case .post: self = .post
        default: self = .other
        }
    }

    var label: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .other: "other"
        }
    }
}

/// One worker's counters as plain integers in one fixed array: only the owning worker thread touches them,
/// and the array is written in place (never copied) on the request path.
struct WorkerCounters: Sendable, Equatable {
    /// Upper bounds of the request-duration histogram's buckets, in microseconds (`+Inf` follows).
    static let durationBucketMicros: [Int] = [1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000]

    // Slot layout: the named counters, then timeouts, requests by method and status class, duration buckets.
    private static let named = 9
    private static let timeoutBase = named
    private static let methodClassBase = timeoutBase + TimeoutKind.allCases.count
    private static let bucketBase = methodClassBase + MethodGroup.allCases.count * 5
    static let slotCount = bucketBase + durationBucketMicros.count + 1

    private(set) var slots = [Int](repeating: 0, count: slotCount)

    var accepted: Int { get { slots[0] } set { slots[0] = newValue } }
    var closed: Int { get { slots[1] } set { slots[1] = newValue } }
    var closedByPeer: Int { get { slots[2] } set { slots[2] = newValue } }
    /// Connections answered 503 and closed because a connection limit was reached.
    var rejected: Int { get { slots[3] } set { slots[3] = newValue } }
    /// Async handlers whose client went away before their response: the task was cancelled.
    var abandonedResponses: Int { get { slots[4] } set { slots[4] = newValue } }
    var requests: Int { get { slots[5] } set { slots[5] = newValue } }
    var bytesReceived: Int { get { slots[6] } set { slots[6] = newValue } }
    var bytesSent: Int { get { slots[7] } set { slots[7] = newValue } }
    /// The sum of request durations, microseconds.
    var durationMicros: Int { get { slots[8] } set { slots[8] = newValue } }

    init() {}

    init(slots: [Int]) {
        precondition(slots.count == Self.slotCount)
        self.slots = slots
    }

    subscript(timeout kind: TimeoutKind) -> Int {
        get { slots[Self.timeoutBase + kind.rawValue] }
        set { slots[Self.timeoutBase + kind.rawValue] = newValue }
    }

    /// Requests answered with a status of class `statusClass` (1...5) to `method`.
    subscript(method: MethodGroup, statusClass: Int) -> Int {
        slots[Self.methodClassBase + method.rawValue * 5 + statusClass - 1]
    }

    /// Requests in duration bucket `index` (not cumulative; the last is beyond every bound).
    subscript(durationBucket index: Int) -> Int { slots[Self.bucketBase + index] }

    var timedOut: Int { TimeoutKind.allCases.reduce(0) { $0 + self[timeout: $1] } }
    var active: Int { accepted - closed }

    /// Requests answered with a status of class `statusClass` (1...5), whatever the method.
    func requests(statusClass: Int) -> Int {
        MethodGroup.allCases.reduce(0) { $0 + self[$1, statusClass] }
    }

    /// Counts one answered request.
    mutating func countResponse(method: HTTPMethod, status: Status) {
        requests += 1
        let statusClass = min(max(status.code / 100, 1), 5)
        slots[Self.methodClassBase + MethodGroup(method).rawValue * 5 + statusClass - 1] += 1
    }

    /// Counts one request's duration in the histogram.
    mutating func countDuration(micros: Int) {
        var bucket = 0
        while bucket < Self.durationBucketMicros.count, micros > Self.durationBucketMicros[bucket] { bucket += 1 }
        slots[Self.bucketBase + bucket] += 1
        durationMicros += micros
    }

    static func + (lhs: WorkerCounters, rhs: WorkerCounters) -> WorkerCounters {
        var sum = lhs
        for index in sum.slots.indices { sum.slots[index] += rhs.slots[index] }
        return sum
    }
}

/// A worker's counters as atomics that any thread may read. The worker counts in plain integers and
/// publishes them here with relaxed stores once per loop iteration — a store, not a locked add, per
/// counter — and `/status` and `/metrics` add up every worker's snapshot when read. No lock is shared, so
/// a scrape never slows a worker.
final class PublishedCounters: Sendable {
    private final class Cell: Sendable {
        let value = Atomic<Int>(0)
    }

    private let cells: [Cell] = (0..<WorkerCounters.slotCount).map { _ in Cell() }

    func publish(_ counters: WorkerCounters) {
        for index in 0..<WorkerCounters.slotCount {
            cells[index].value.store(counters.slots[index], ordering: .relaxed)
        }
    }

    func snapshot() -> WorkerCounters {
        WorkerCounters(slots: cells.map { $0.value.load(ordering: .relaxed) })
    }
}
