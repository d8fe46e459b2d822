import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// The server's settings, as read from `Config/server.json`. Every key is optional; a missing key keeps
/// its default. Programs that embed ``Server`` load the same file with ``load(from:)``.
public struct ServerConfig: Sendable, Equatable {
    /// Address to listen on: `0.0.0.0`, `::` (IPv6 and, where the host allows, IPv4), `127.0.0.1`, `localhost`.
    public var host = "0.0.0.0"
    /// TCP port; 0 asks the kernel for a free one.
    public var port = 8080
    /// Worker threads; 0 means one per CPU the process may run on.
    public var workers = 0
    /// Length of the kernel's queue of connections not yet accepted.
    public var backlog = 511
    /// Bind with `SO_REUSEPORT`, so several minihttp processes can share the port (the kernel spreads
    /// connections across them), and a new process can start while the old one drains.
    public var reusePort = false
    /// The folder served as static files; nil serves none.
    public var publicDirectory: String? = "Public"
    /// The file served for a directory.
    public var index = "index.html"
    /// Whether a directory without an index file is answered with an HTML listing (else 403).
    public var directoryListing = false
    /// `Cache-Control` values by path prefix (`"/assets/"`) or extension (`".html"`); the longest matching
    /// prefix wins, then the extension.
    public var cacheControl: [String: String] = [:]
    /// A file in the public folder (`"/index.html"`) served, with status 200 and its validators, for a GET or
    /// HEAD of a path the folder does not have, when the path looks like a single-page app's route: its last
    /// segment has no extension and `Accept` is absent or admits `text/html`. Code routes still come first;
    /// `/js/missing.js` stays 404. nil (the default): none.
    public var spaFallback: String?
    /// Pages in the public folder for the server's own error answers, by status code (`404` →
    /// `"/404.html"`, `500` → `"/50x.html"`), sent with that status and `Cache-Control: no-store`. Never
    /// used for a response a handler returned itself.
    public var errorPages: [Int: String] = [:]
    /// gzip for compressible static files and for handler responses that ask for it.
    public var gzip = GzipSettings()
    /// The open-file and metadata cache for static files (per worker).
    public var fileCache = FileCacheSettings()
    /// The path of the JSON status endpoint; nil turns it off.
    public var statusPath: String? = "/status"
    /// The path of the Prometheus metrics endpoint (e.g. `/metrics`); nil (the default) turns it off.
    public var metricsPath: String?
    /// Who may read the status and metrics endpoints: addresses or CIDR ranges (`10.0.0.0/8`, `::1`).
    /// Empty (the default) allows everyone; others get 403.
    public var statusAllow: [String] = []
    /// Load balancers and proxies (addresses or CIDR ranges) whose word on the client is believed: from
    /// them, the `forwardedHeader` and the PROXY protocol set the request's client address.
    public var trustedProxies: [String] = []
    /// The one header that names the client behind `trustedProxies` (nginx's `real_ip_header`):
    /// `X-Forwarded-For` (the default), `Forwarded`, or ``ForwardedHeader/none`` (JSON `null`). It is read
    /// from the right past trusted proxies; a node that is not an address makes the client unknown
    /// (logged `-`, admitted by no `statusAllow` entry). Any other forwarding header is ignored.
    public var forwardedHeader: ForwardedHeader = .xForwardedFor
    /// Connections from `trustedProxies` begin with a PROXY protocol header (v1 or v2, HAProxy's
    /// `send-proxy` / `send-proxy-v2`); one without it is answered 400.
    public var proxyProtocol = false
    /// How long an idle keep-alive connection (or a new one that sends nothing) is kept open.
    public var keepAliveTimeoutSeconds = 15
    /// How long a request head may take to arrive, from its first byte.
    public var headerTimeoutSeconds = 10
    /// How long a request body may pause between reads.
    public var bodyTimeoutSeconds = 30
    /// How long a client may leave a response unread before the connection is closed.
    public var writeTimeoutSeconds = 30
    /// Requests served on one connection before it is closed.
    public var maxRequestsPerConnection = 10_000
    /// Largest header section (the field lines), in bytes: larger gets 431.
    public var maxHeaderBytes = 65536
    /// Longest request target, in bytes: longer gets 414.
    public var maxURIBytes = 8192
    /// Largest request body, in bytes: larger gets 413.
    public var maxBodyBytes = 1 << 20
    /// Connections held at once, in all; more are answered 503 and closed.
    public var maxConnections = 10_000
    /// Connections held at once from one peer address; 0 means no limit. It is not applied to peers in
    /// `trustedProxies` (a load balancer carries many clients, and which one is known only later, from its
    /// header) nor to peers without an address (a Unix-socket listener): limit clients at the balancer.
    public var maxConnectionsPerClient = 1_000
    /// After SIGTERM, how long the server goes on accepting and serving while `/status` answers 503, so
    /// that load balancers' health checks take it out of rotation before it stops accepting.
    public var drainDelaySeconds = 0
    /// How long a shutdown waits for requests in flight before closing what is left.
    public var shutdownGraceSeconds = 10
    /// Whether to write an access log (Combined Log Format plus the duration).
    public var accessLog = true
    /// Where the access log goes; nil is standard output.
    public var accessLogPath: String?
    /// The level of the server's own messages: trace, debug, info, notice, warning, error, critical.
    public var logLevel = "info"

    public init() {}

    /// The number of worker threads to start: `workers`, or the CPUs this process may run on.
    public var effectiveWorkers: Int {
        workers > 0 ? workers : CPUs.available
    }

    var limits: ParserLimits {
        ParserLimits(maxURIBytes: maxURIBytes, maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
    }
}
