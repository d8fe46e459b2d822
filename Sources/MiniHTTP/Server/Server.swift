import Glibc
import Logging
import Synchronization
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// An HTTP/1.1 server: a listening socket and a pool of worker threads, each with its own epoll loop.
///
/// ```swift
/// var router = Router()
/// router.get("/hello") { _ in .text("Hello!\n") }
/// let server = try Server(configuration: ServerConfig(), router: router)
/// try server.run()   // serves until SIGINT or SIGTERM, then drains and returns
/// ```
///
/// Code routes win over static files; the status endpoint (`statusPath`) is a route too.
public final class Server: Sendable {
    /// The configuration the server runs with.
    public let configuration: ServerConfig
    /// Nil for an in-process server (`Server+InProcess.swift`): connections are handed to it, none accepted.
    private let listener: ListeningSocket?
    let context: ServerContext
    let mailboxes: [WorkerMailbox]
    /// The worker the next in-process connection goes to (round robin).
    let inProcessTurn = Atomic<Int>(0)
    let threads = Locked<[PosixThread]>([])
    /// Workers still running, and who awaits their end (``stopped()``).
    private let stopState = Locked<StopState>(StopState())

    private struct StopState {
        var running = 0
        var started = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let shutdownStarted = Atomic<Bool>(false)
    /// Set by the first SIGINT/SIGTERM: a second one exits at once, even during the drain delay.
    let signalled = Atomic<Bool>(false)
    /// The `drainDelaySeconds` wait, which ``shutdown()`` cuts short.
    private let drainDelay = DrainDelay()
    let logger: Logger

    /// Binds the listening socket and prepares the workers; nothing is served until ``start()``.
    /// - Throws: ``ServerError`` when the address cannot be bound (in use, not local), the public folder
    ///   cannot be opened, the access log cannot be opened, or a route pattern is malformed.
    public convenience init(
        configuration: ServerConfig, router: Router = Router(), logger: Logger = Logger(label: "minihttp")
    ) throws(ServerError) {
        try self.init(configuration: configuration, router: router, logger: logger, listening: true)
    }

    /// `listening` false: no socket is bound, nothing from systemd taken (``connectInProcess()``).
    init(configuration: ServerConfig, router: Router, logger: Logger, listening: Bool) throws(ServerError) {
        if let pattern = router.invalidPatterns.first { throw .invalidRoute(pattern) }
        self.configuration = configuration
        self.logger = logger
        Syscall.ignoreBrokenPipeSignal()
        Syscall.raiseDescriptorLimit()

        var router = router
        let mailboxes: [WorkerMailbox]
        do {
            mailboxes = try (0..<configuration.effectiveWorkers).map { _ throws(SystemError) in try WorkerMailbox() }
        } catch {
            throw .system(error)
        }
        let status = ServerStatus(workers: mailboxes)
        let lists: AddressLists
        do {
            lists = try configuration.check()
        } catch {
            throw .configuration(key: error.key, reason: error.reason)
        }
        let statusAllow = lists.statusAllow
        let trustedProxies = lists.trustedProxies
        if let statusPath = configuration.statusPath {
            router.get(statusPath) { request in
                guard statusAllow.isEmpty || statusAllow.contains(request.clientAddress) else { return CannedResponse.forbidden }
                return status.respond(to: request)
            }
        }
        if let metricsPath = configuration.metricsPath {
            router.get(metricsPath) { request in
                guard statusAllow.isEmpty || statusAllow.contains(request.clientAddress) else { return CannedResponse.forbidden }
                return status.respondMetrics(to: request)
            }
        }
        // One pipeline for the public folder, handlers' files and error pages; the fallback unless code set one.
        let files: StaticFiles
        do {
            files = try StaticFiles(
                root: configuration.publicDirectory, index: configuration.index,
                directoryListing: configuration.directoryListing, cacheControl: configuration.cacheControl,
                spaFallback: configuration.spaFallback, gzip: configuration.gzip,
                fileCaches: FileCaches(workers: configuration.effectiveWorkers, settings: configuration.fileCache))
        } catch {
            throw .publicDirectory(configuration.publicDirectory ?? "", error)
        }
        if configuration.publicDirectory != nil {
            // Static first: a fallback set in code answers only what the folder does not have.
            router.fallback = router.fallback.map { StaticFirst(files: files, fallback: $0) } ?? files
        }
        let accessLog: AccessLogSink?
        if configuration.accessLog {
            do {
                accessLog = try configuration.accessLogPath.map { path throws(SystemError) in try AccessLogSink(path: path) }
                    ?? AccessLogSink()
            } catch {
                throw .accessLog(error)
            }
        } else {
            accessLog = nil
        }
        do {
            if !listening {
                listener = nil
            } else if let passed = Systemd.passedListeners() {
                listener = passed.count == 1
                    ? try ListeningSocket(inherited: passed[0]) : try ListeningSocket(inherited: passed)
                logger.info("using the \(passed.count) listening socket(s) systemd passed (LISTEN_FDS); host and port settings are not used")
            } else {
                listener = try ListeningSocket(host: configuration.host, port: configuration.port,
                                               backlog: configuration.backlog, reusePort: configuration.reusePort)
            }
        } catch {
            throw .listen(host: configuration.host, port: configuration.port, error)
        }
        if listening, configuration.reusePort, FileSystem.firstLine(of: "/proc/sys/net/ipv4/tcp_migrate_req") == "0" {
            logger.notice("""
                reusePort: net.ipv4.tcp_migrate_req is 0, so connections still queued on this process's socket \
                when it stops accepting are reset; set it to 1 (sysctl -w net.ipv4.tcp_migrate_req=1) to move \
                them to another process on the port
                """)
        }
        let seconds = { (value: Int) in Int64(value) * 1000 }
        let routes = router.freeze()
        context = ServerContext(
            routes: routes,
            connections: ConnectionPolicy(
                limits: configuration.limits, largestStreamedBody: routes.largestStreamedBody,
                timeouts: .init(
                    headerMilliseconds: seconds(configuration.headerTimeoutSeconds),
                    bodyMilliseconds: seconds(configuration.bodyTimeoutSeconds),
                    idleMilliseconds: seconds(configuration.keepAliveTimeoutSeconds),
                    writeMilliseconds: seconds(configuration.writeTimeoutSeconds)),
                maxRequestsPerConnection: configuration.maxRequestsPerConnection),
            trust: ClientTrust(
                trustedProxies: trustedProxies, proxyProtocol: configuration.proxyProtocol,
                forwardedHeader: configuration.forwardedHeader),
            admission: Admission(
                limiter: ConnectionLimiter(
                    maxConnections: configuration.maxConnections, maxPerClient: configuration.maxConnectionsPerClient,
                    exempt: trustedProxies),
                listenerShutdown: ListenerShutdown(listener: listener, workers: mailboxes.count)),
            gzip: configuration.gzip, accessLog: accessLog, logger: logger, status: status,
            files: files, errorPages: ErrorPages(configuration.errorPages))
        self.mailboxes = mailboxes
    }


    /// The port the server listens on (the kernel's choice when the configuration said 0).
    /// 0 for an in-process server.
    public var port: Int { listener?.port ?? 0 }

    /// The URL a browser on this machine would use: `http://localhost:8080/`.
    public var localURL: String {
        let host = ["0.0.0.0", "::", "127.0.0.1", "::1", "localhost"].contains(configuration.host)
            ? "localhost" : (configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host)
        return "http://\(host):\(port)/"
    }

    /// Starts the worker threads and returns; they serve until ``shutdown()``.
    public func start() throws(ServerError) {
        var started: [PosixThread] = []
        stopState.withLock { state in
            state.started = true
            state.running = mailboxes.count
        }
        for (index, mailbox) in mailboxes.enumerated() {
            do {
                let worker = try Worker(index: index, context: context, mailbox: mailbox, listener: listener)
                let unowned = UncheckedSendable(worker)
                // In process (no listener) the workers are named apart, so a test can tell them from others'.
                started.append(try PosixThread(name: (listener == nil ? "minihttp-p" : "minihttp-w") + "\(index)") {
                    unowned.value.run()
                    self.workerStopped()
                })
            } catch {
                stopState.withLock { $0.running -= mailboxes.count - index }
                throw .system(error)
            }
        }
        threads.withLock { $0.append(contentsOf: started) }
        if listener != nil { Systemd.notify("READY=1\nSTATUS=serving \(localURL)") }
    }

    /// Begins a graceful shutdown: `/status` says draining, accepting stops, idle connections close, and
    /// requests in flight get up to `shutdownGraceSeconds` to finish. Safe to call from any thread; a
    /// second call does nothing. ``wait()`` returns when it is done.
    public func shutdown() {
        drainDelay.cancel()
        guard !shutdownStarted.exchange(true, ordering: .relaxed) else { return }
        if listener != nil, !context.status.isDraining { Systemd.notify("STOPPING=1") }
        context.status.markDraining()
        let deadline = MonotonicClock.milliseconds() + Int64(configuration.shutdownGraceSeconds) * 1000
        for mailbox in mailboxes { mailbox.send(.drain(deadline: deadline)) }
    }

    /// Marks the server draining now — `/status` answers 503, so load balancers take it out of rotation —
    /// while it goes on accepting and serving for `delaySeconds`; then begins ``shutdown()``. A call of
    /// ``shutdown()`` meanwhile (a cancelled service, a second signal) ends the delay at once.
    public func shutdown(afterSeconds delaySeconds: Int) {
        guard delaySeconds > 0 else {
            shutdown()
            return
        }
        Systemd.notify("STOPPING=1\nSTATUS=draining: health checks answered 503")
        context.status.markDraining()
        // Made under the lock, so wait() — which joins until none is left — cannot miss it.
        let started = threads.withLock { threads -> Bool in
            guard let thread = try? PosixThread(name: "minihttp-drain", { [drainDelay] in
                drainDelay.wait(seconds: delaySeconds)
                self.shutdown()
            }) else { return false }
            threads.append(thread)
            return true
        }
        if !started { shutdown() }
    }

    /// Returns when every worker has finished (after ``shutdown()``), without blocking a thread: for
    /// async code, such as a swift-service-lifecycle `Service`. Returns at once if the server never started.
    public func stopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = stopState.withLock { state -> Bool in
                if !state.started || state.running == 0 { return true }
                state.waiters.append(continuation)
                return false
            }
            if finished { continuation.resume() }
        }
    }

    private func workerStopped() {
        let waiters = stopState.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.running -= 1
            guard state.running == 0 else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until every worker has finished (after ``shutdown()``), and the drain-delay thread with them.
    public func wait() {
        while true {
            let running = threads.withLock { threads in
                defer { threads.removeAll() }
                return threads
            }
            if running.isEmpty { return }
            for thread in running { thread.join() }
        }
    }

    /// Reopens the access log file at its path, after a rotation moved it away (what SIGUSR1 does for
    /// ``run()``; an embedding program calls this from its own signal handling). Nothing to do when the
    /// log goes to standard output or is off.
    /// - Throws: ``ServerError/accessLog(_:)`` when the file cannot be opened; the old file stays in use.
    public func reopenAccessLog() throws(ServerError) {
        do {
            try context.accessLog?.reopen()
        } catch {
            throw .accessLog(error)
        }
    }
}
