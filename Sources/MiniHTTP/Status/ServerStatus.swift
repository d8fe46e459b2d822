import Glibc
import Synchronization
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// What `/status` reports: the server's state and every worker's counters, added up when read.
final class ServerStatus: Sendable {
    static let version = "0.1.0"

    let startedAt: String
    let startedMonotonic: Int64
    let workerCount: Int
    let workers: [WorkerMailbox]
    private let draining = Atomic<Bool>(false)

    init(workers: [WorkerMailbox]) {
        self.workers = workers
        workerCount = workers.count
        startedMonotonic = MonotonicClock.milliseconds()
        startedAt = Self.iso8601(time(nil))
    }

    var isDraining: Bool { draining.load(ordering: .relaxed) }
    func markDraining() { draining.store(true, ordering: .relaxed) }

    /// The sum of all workers' published counters.
    func totals() -> WorkerCounters {
        workers.reduce(WorkerCounters()) { $0 + $1.counters.snapshot() }
    }

    /// The status endpoint's response: 200, or 503 while draining, so a load balancer's health check takes
    /// the server out of rotation.
    func respond(to request: Request) -> Response {
        return Response(
            status: isDraining ? .serviceUnavailable : .ok, contentType: MediaType.json,
            headers: [HTTPField(name: "Cache-Control", value: "no-store")], body: .bytes(document()))
    }

    /// The metrics endpoint's response (Prometheus text format).
    func respondMetrics(to request: Request) -> Response {
        let document = PrometheusMetrics.document(
            totals(), draining: isDraining,
            uptimeSeconds: Int((MonotonicClock.milliseconds() - startedMonotonic) / 1000))
        return Response(
            status: .ok, contentType: PrometheusMetrics.contentType,
            headers: [HTTPField(name: "Cache-Control", value: "no-store")], body: .bytes(document))
    }

    /// The status document, written straight to bytes (no `JSONEncoder`): cheap enough to poll each second.
    func document() -> [UInt8] {
        let totals = totals()
        var json: [UInt8] = []
        json.reserveCapacity(512)
        func key(_ name: StaticString) {
            json.append(ASCII.quote)
            json.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            json.append(contentsOf: "\":".utf8)
        }
        func number(_ name: StaticString, _ value: Int, last: Bool = false) {
            key(name)
            json.appendDecimal(value)
            if !last { json.append(ASCII.comma) }
        }
        func string(_ name: StaticString, _ value: String) {
            key(name)
            json.append(ASCII.quote)
            json.append(contentsOf: value.utf8)  // only our own ASCII values: nothing to escape
            json.append(contentsOf: "\",".utf8)
        }
        json.append(0x7B)
        string("status", isDraining ? "draining" : "ok")
        string("version", Self.version)
        string("started_at", startedAt)
        number("uptime_seconds", Int((MonotonicClock.milliseconds() - startedMonotonic) / 1000))
        number("workers", workerCount)
        key("connections")
        json.append(0x7B)
        number("active", totals.active)
        number("accepted", totals.accepted)
        number("closed_by_peer", totals.closedByPeer)
        number("rejected", totals.rejected)
        number("abandoned", totals.abandonedResponses)
        number("timed_out", totals.timedOut)
        key("timeouts")
        json.append(0x7B)
        number("header", totals[timeout: .header])
        number("body", totals[timeout: .body])
        number("idle", totals[timeout: .idle])
        number("write", totals[timeout: .write], last: true)
        json.append(contentsOf: "}},".utf8)
        key("requests")
        json.append(0x7B)
        number("total", totals.requests)
        number("2xx", totals.requests(statusClass: 2))
        number("3xx", totals.requests(statusClass: 3))
        number("4xx", totals.requests(statusClass: 4))
        number("5xx", totals.requests(statusClass: 5), last: true)
        json.append(contentsOf: "},".utf8)
        key("bytes")
        json.append(0x7B)
        number("received", totals.bytesReceived)
        number("sent", totals.bytesSent, last: true)
        json.append(contentsOf: "}}\n".utf8)
        return json
    }

    /// `2026-11-26T01:31:59Z`
    static func iso8601(_ seconds: time_t) -> String {
        var value = seconds
        var utc = tm()
        gmtime_r(&value, &utc)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(utc.tm_year + 1900)-\(two(utc.tm_mon + 1))-\(two(utc.tm_mday))T"
            + "\(two(utc.tm_hour)):\(two(utc.tm_min)):\(two(utc.tm_sec))Z"
    }
}
