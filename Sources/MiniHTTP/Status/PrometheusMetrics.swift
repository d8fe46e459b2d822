import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// The metrics endpoint's document, in Prometheus' text exposition format (version 0.0.4), written
/// straight to bytes from the summed worker counters — a scrape reads the workers' published atomics and
/// never takes a lock they use.
enum PrometheusMetrics {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func document(_ totals: WorkerCounters, draining: Bool, uptimeSeconds: Int) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(4096)
        func append(_ string: StaticString) {
            text.append(contentsOf: UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
        }
        func family(_ name: StaticString, _ type: StaticString, _ help: StaticString) {
            append("# HELP "); append(name); append(" "); append(help); append("\n")
            append("# TYPE "); append(name); append(" "); append(type); append("\n")
        }
        func sample(_ name: StaticString, _ value: Int) {
            append(name); append(" "); text.appendDecimal(value); append("\n")
        }
        func metric(_ name: StaticString, _ type: StaticString, _ help: StaticString, _ value: Int) {
            family(name, type, help)
            sample(name, value)
        }

        family("minihttp_requests_total", "counter", "Requests answered, by method and status class.")
        for method in MethodGroup.allCases {
            for statusClass in 1...5 {
                append("minihttp_requests_total{method=\"")
                text.append(contentsOf: method.label.utf8)
                append("\",status=\"")
                text.appendDecimal(statusClass)
                append("xx\"} ")
                text.appendDecimal(totals[method, statusClass])
                append("\n")
            }
        }

        family("minihttp_request_duration_seconds", "histogram",
               "Time from a request's complete head to its response being queued for writing.")
        var cumulative = 0
        for (index, bound) in WorkerCounters.durationBucketMicros.enumerated() {
            cumulative += totals[durationBucket: index]
            append("minihttp_request_duration_seconds_bucket{le=\"")
            appendSeconds(micros: bound, to: &text)
            append("\"} ")
            text.appendDecimal(cumulative)
            append("\n")
        }
        cumulative += totals[durationBucket: WorkerCounters.durationBucketMicros.count]
        append("minihttp_request_duration_seconds_bucket{le=\"+Inf\"} ")
        text.appendDecimal(cumulative)
        append("\nminihttp_request_duration_seconds_sum ")
        appendSeconds(micros: totals.durationMicros, to: &text)
        append("\nminihttp_request_duration_seconds_count ")
        text.appendDecimal(cumulative)
        append("\n")

        metric("minihttp_connections_active", "gauge", "Connections open now.", totals.active)
        metric("minihttp_connections_accepted_total", "counter", "Connections accepted.", totals.accepted)
        metric("minihttp_connections_rejected_total", "counter", "Connections refused with 503 by a connection limit.", totals.rejected)
        metric("minihttp_connections_closed_by_peer_total", "counter", "Connections the client ended.", totals.closedByPeer)
        metric("minihttp_async_abandoned_total", "counter", "Async handlers cancelled because their client left.", totals.abandonedResponses)
        family("minihttp_timeouts_total", "counter", "Connections closed by a timeout, by kind.")
        for kind in TimeoutKind.allCases {
            append("minihttp_timeouts_total{kind=\"")
            switch kind {
            case .header: append("header")
            case .body: append("body")
            case .idle: append("idle")
            case .write: append("write")
            }
            append("\"} ")
            text.appendDecimal(totals[timeout: kind])
            append("\n")
        }
        metric("minihttp_received_bytes_total", "counter", "Bytes read from clients.", totals.bytesReceived)
        metric("minihttp_sent_bytes_total", "counter", "Bytes written to clients.", totals.bytesSent)
        metric("minihttp_draining", "gauge", "1 once a graceful shutdown has begun.", draining ? 1 : 0)
        metric("minihttp_uptime_seconds", "gauge", "Seconds since the server started.", uptimeSeconds)
        return text
    }

    /// `0.005` for 5,000 µs: seconds with up to six decimals, trailing zeros dropped.
    static func appendSeconds(micros: Int, to text: inout [UInt8]) {
        text.appendDecimal(micros / 1_000_000)
        var fraction = micros % 1_000_000
        guard fraction > 0 else { return }
        var digits = 6
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        text.append(ASCII.dot)
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            text.append(ASCII.zero + UInt8(fraction / divisor % 10))
            divisor /= 10
        }
    }
}
