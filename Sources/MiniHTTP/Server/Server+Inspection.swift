import MiniHTTPCore

/// What tests and the status endpoint read of a running server.
extension Server {
    /// The counters of every worker added up, as `/status` reports them (published once per loop turn).
    func statusTotals() -> WorkerCounters { context.status.totals() }

    /// The `/status` body as the endpoint would send it.
    func statusDocument() -> [UInt8] {
        context.status.document()
    }

    /// Threads started and not yet joined (workers, drain delay), for tests.
    var unjoinedThreads: Int { threads.withLock { $0.count } }

    /// The status endpoint, for tests.
    var statusEndpoint: ServerStatus { context.status }
}
