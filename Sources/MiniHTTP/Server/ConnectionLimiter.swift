import Synchronization

/// Bounds the connections the server holds: `maxConnections` in all, `maxConnectionsPerClient` from one
/// address (so one client cannot take them all). Consulted once per accept and once per close — never
/// per request — so its lock is not on the hot path.
final class ConnectionLimiter: Sendable {
    private let maxConnections: Int
    private let maxPerClient: Int
    private let total = Atomic<Int>(0)
    private let perClient = Locked<[String: Int]>([:])

    /// `maxPerClient` 0 means no per-address limit.
    init(maxConnections: Int, maxPerClient: Int) {
        self.maxConnections = maxConnections
        self.maxPerClient = maxPerClient
    }

    /// Takes a place for a connection from `address`; false when a limit is reached.
    func admit(_ address: String) -> Bool {
        guard total.add(1, ordering: .relaxed).newValue <= maxConnections else {
            total.subtract(1, ordering: .relaxed)
            return false
        }
        guard maxPerClient > 0 else { return true }
        let admitted = perClient.withLock { counts -> Bool in
            let count = counts[address, default: 0]
            guard count < maxPerClient else { return false }
            counts[address] = count + 1
            return true
        }
        if !admitted { total.subtract(1, ordering: .relaxed) }
        return admitted
    }

    /// Gives back the place of a closed connection from `address`.
    func release(_ address: String) {
        total.subtract(1, ordering: .relaxed)
        guard maxPerClient > 0 else { return }
        perClient.withLock { counts in
            let count = counts[address, default: 1] - 1
            counts[address] = count > 0 ? count : nil
        }
    }
}
