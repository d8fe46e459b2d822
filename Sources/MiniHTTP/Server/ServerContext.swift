import Logging
import Synchronization
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Everything the workers share, immutable once the server starts, grouped by what uses it.
final class ServerContext: Sendable {
    /// The routes, frozen: what answers requests.
    let routes: RouteTable
    /// What a connection may send, buffer and take time for.
    let connections: ConnectionPolicy
    /// Whom the server believes about the client's address.
    let trust: ClientTrust
    /// Who may connect, and the listener's orderly stop.
    let admission: Admission
    let gzip: GzipSettings
    let accessLog: AccessLogSink?
    let logger: Logger
    let status: ServerStatus
    /// The static-file pipeline, for handlers' `Response.file` and error pages (also the routes' fallback
    /// when it serves the public folder); nil only for a context made without one (tests).
    let files: StaticFiles?
    let errorPages: ErrorPages

    init(
        routes: RouteTable, connections: ConnectionPolicy, trust: ClientTrust = ClientTrust(), admission: Admission,
        gzip: GzipSettings, accessLog: AccessLogSink?, logger: Logger, status: ServerStatus,
        files: StaticFiles? = nil, errorPages: ErrorPages = ErrorPages()
    ) {
        self.files = files
        self.errorPages = errorPages
        self.routes = routes
        self.connections = connections
        self.trust = trust
        self.admission = admission
        self.gzip = gzip
        self.accessLog = accessLog
        self.logger = logger
        self.status = status
    }
}

/// What a connection may send, buffer and take time for: the parser's limits, the timeouts, the input
/// budgets, the requests per connection.
struct ConnectionPolicy: Sendable {
    /// The limits for requests, with `maxBodyBytes` for buffered bodies.
    let limits: ParserLimits
    /// What the parser allows: `limits`, with `maxBodyBytes` raised to the largest streaming-body route's
    /// (the worker then holds other routes to `limits.maxBodyBytes`).
    let parserLimits: ParserLimits
    let timeouts: ConnectionState.Timeouts
    /// What a connection may buffer in each state (`ConnectionState.inputBudget`).
    let inputLimits: ConnectionState.InputLimits
    let maxRequestsPerConnection: Int

    init(limits: ParserLimits, largestStreamedBody: Int?, timeouts: ConnectionState.Timeouts, maxRequestsPerConnection: Int) {
        self.limits = limits
        var parserLimits = limits
        if let largest = largestStreamedBody { parserLimits.maxBodyBytes = max(limits.maxBodyBytes, largest) }
        self.parserLimits = parserLimits
        // The parser answers before a head reaches maxHeadBytes: a head never needs more.
        inputLimits = ConnectionState.InputLimits(headBytes: parserLimits.maxHeadBytes, readBytes: Worker.bufferBytes)
        self.timeouts = timeouts
        self.maxRequestsPerConnection = maxRequestsPerConnection
    }
}

/// Whom the server believes about the client's address (nginx's `set_real_ip_from`, `real_ip_header`).
struct ClientTrust: Sendable {
    /// Peers whose PROXY header and `Forwarded`/`X-Forwarded-For` fields are believed.
    var trustedProxies = AddressRanges()
    /// Connections from trusted proxies begin with a PROXY protocol header.
    var proxyProtocol = false
    /// The header that names the client behind a trusted proxy.
    var forwardedHeader = ForwardedHeader.xForwardedFor
}

/// Who may connect (the connection limits), and the listener's orderly stop.
struct Admission: Sendable {
    let limiter: ConnectionLimiter
    let listenerShutdown: ListenerShutdown
}

/// Stops the listening socket once every worker has taken the connections already queued on it, so a
/// connection that completed its handshake before the drain began is answered rather than reset.
final class ListenerShutdown: Sendable {
    private let listener: ListeningSocket?
    private let remaining: Atomic<Int>

    init(listener: ListeningSocket?, workers: Int) {
        self.listener = listener
        remaining = Atomic(workers)
    }

    /// Called by each worker after its last accept; the last one stops the listener.
    func workerStoppedAccepting() {
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
            listener?.stopListening()
        }
    }
}
