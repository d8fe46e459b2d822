import Synchronization
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Bounds the connections the server holds: `maxConnections` in all, `maxConnectionsPerClient` from one
/// address (so one client cannot take them all). Consulted once per accept and once per close — never
/// per request — so its lock is not on the hot path.
///
/// The per-address limit applies only where the peer *is* a client: not to a peer without an address
/// (`-`, a Unix-socket listener, where every peer would share one count) nor to a trusted proxy, whose
/// connections carry many clients that are known only from each request's header.
final class ConnectionLimiter: Sendable {
    private let maxConnections: Int
    private let maxPerClient: Int
    private let exempt: AddressRanges
    private let total = Atomic<Int>(0)
    private let perClient = Locked<[String: Int]>([:])

    /// `maxPerClient` 0 means no per-address limit; addresses in `exempt` (the trusted proxies) have none.
    init(maxConnections: Int, maxPerClient: Int, exempt: AddressRanges = AddressRanges()) {
        self.maxConnections = maxConnections
        self.maxPerClient = maxPerClient
        self.exempt = exempt
    }

    /// Takes a place for a connection from `address`; false when a limit is reached.
    func admit(_ address: String) -> Bool {
        guard total.add(1, ordering: .relaxed).newValue <= maxConnections else {
            total.subtract(1, ordering: .relaxed)
            return false
        }
        guard isCounted(address) else { return true }
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
        guard isCounted(address) else { return }
        perClient.withLock { counts in
            let count = counts[address, default: 1] - 1
            counts[address] = count > 0 ? count : nil
        }
    }

    /// Whether `address` is held to the per-client limit: a real address that is not a trusted proxy.
    private func isCounted(_ address: String) -> Bool {
        guard maxPerClient > 0 else { return false }
        guard let parsed = IPAddress(address), parsed != .unknown else { return false }
        return !exempt.contains(parsed)
    }
}
