import Logging
import Synchronization
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Everything the workers share, immutable once the server starts.
final class ServerContext: Sendable {
    let routes: RouteTable
    /// The limits for requests, with `maxBodyBytes` for buffered bodies.
    let limits: ParserLimits
    /// What the parser allows: `limits`, with `maxBodyBytes` raised to the largest streaming-body route's
    /// (the worker then holds other routes to `limits.maxBodyBytes`).
    let parserLimits: ParserLimits
    let timeouts: Timeouts
    /// What a connection may buffer in each state (`ConnectionState.inputBudget`).
    let inputLimits: ConnectionState.InputLimits
    let maxRequestsPerConnection: Int
    let accessLog: AccessLogSink?
    let logger: Logger
    let status: ServerStatus
    let listenerShutdown: ListenerShutdown
    let limiter: ConnectionLimiter
    let fileCache: FileCacheSettings
    let gzip: GzipSettings
    /// Peers whose PROXY header and `Forwarded`/`X-Forwarded-For` fields are believed.
    let trustedProxies: AddressRanges
    /// Connections from trusted proxies begin with a PROXY protocol header.
    let proxyProtocol: Bool
    /// The header that names the client behind a trusted proxy.
    let forwardedHeader: ForwardedHeader

    typealias Timeouts = ConnectionState.Timeouts

    init(
        routes: RouteTable, limits: ParserLimits, timeouts: Timeouts, maxRequestsPerConnection: Int,
        accessLog: AccessLogSink?, logger: Logger, status: ServerStatus, listenerShutdown: ListenerShutdown,
        limiter: ConnectionLimiter, fileCache: FileCacheSettings, gzip: GzipSettings,
        trustedProxies: AddressRanges = AddressRanges(), proxyProtocol: Bool = false,
        forwardedHeader: ForwardedHeader = .xForwardedFor
    ) {
        self.forwardedHeader = forwardedHeader
        self.trustedProxies = trustedProxies
        self.proxyProtocol = proxyProtocol
        self.fileCache = fileCache
        self.gzip = gzip
        self.limiter = limiter
        self.listenerShutdown = listenerShutdown
        self.routes = routes
        self.limits = limits
        var parserLimits = limits
        if let largest = routes.largestStreamedBody { parserLimits.maxBodyBytes = max(limits.maxBodyBytes, largest) }
        self.parserLimits = parserLimits
        // The parser answers before a head reaches maxHeadBytes: a head never needs more.
        inputLimits = ConnectionState.InputLimits(headBytes: parserLimits.maxHeadBytes, readBytes: Worker.bufferBytes)
        self.timeouts = timeouts
        self.maxRequestsPerConnection = maxRequestsPerConnection
        self.accessLog = accessLog
        self.logger = logger
        self.status = status
    }

}

/// Stops the listening socket once every worker has taken the connections already queued on it, so a
/// connection that completed its handshake before the drain began is answered rather than reset.
final class ListenerShutdown: Sendable {
    private let listener: ListeningSocket
    private let remaining: Atomic<Int>

    init(listener: ListeningSocket, workers: Int) {
        self.listener = listener
        remaining = Atomic(workers)
    }

    /// Called by each worker after its last accept; the last one stops the listener.
    func workerStoppedAccepting() {
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            listener.stopListening()
        }
    }
}
