import Logging

/// Everything the workers share, immutable once the server starts.
final class ServerContext: Sendable {
    let routes: RouteTable
    let limits: ParserLimits
    let timeouts: Timeouts
    let maxRequestsPerConnection: Int
    let accessLog: AccessLogSink?
    let logger: Logger
    let status: ServerStatus

    struct Timeouts: Sendable {
        var headerMilliseconds: Int64
        var bodyMilliseconds: Int64
        var idleMilliseconds: Int64
        var writeMilliseconds: Int64
        var lingerMilliseconds: Int64 = 2000

        func milliseconds(_ kind: TimeoutKind) -> Int64 {
            switch kind {
            case .header: headerMilliseconds
            case .body: bodyMilliseconds
            case .idle: idleMilliseconds
            case .write: writeMilliseconds
            }
        }
    }

    init(
        routes: RouteTable, limits: ParserLimits, timeouts: Timeouts, maxRequestsPerConnection: Int,
        accessLog: AccessLogSink?, logger: Logger, status: ServerStatus
    ) {
        self.routes = routes
        self.limits = limits
        self.timeouts = timeouts
        self.maxRequestsPerConnection = maxRequestsPerConnection
        self.accessLog = accessLog
        self.logger = logger
        self.status = status
    }

    /// The most input a connection may buffer: the largest head and body the limits allow.
    var maxInputBytes: Int { limits.maxURIBytes + limits.maxHeaderBytes + limits.maxBodyBytes + 4096 }
}
