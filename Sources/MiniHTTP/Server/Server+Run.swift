import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

extension Server {
    /// Starts, then serves until SIGINT or SIGTERM; drains gracefully and returns. A second signal exits
    /// the process at once with status 1 (the drain was aborted). SIGUSR1 reopens the access log file
    /// (for log rotation). When it returns, the signal thread has ended and the default handling of
    /// these signals is back.
    public func run() throws(ServerError) {
        let signals = SignalWatcher()
        defer { signals.stop() }
        try start()
        logger.info("minihttp \(ServerStatus.version) serving \(localURL) with \(configuration.effectiveWorkers) workers")
        do {
            try signals.watch { [weak self] signal in
                guard let self else { return false }
                return self.handle(signal)
            }
        } catch {
            shutdown()
            wait()
            throw .system(error)
        }
        wait()
        logger.info("stopped")
    }

    private func handle(_ signal: Int32) -> Bool {
        if signal == SIGUSR1 {
            do { try reopenAccessLog() } catch { logger.error("reopening the access log: \(error)") }
            return true
        }
        if signalled.exchange(true, ordering: .relaxed) {
            logger.warning("second signal: exiting at once, abandoning the requests in flight")
            exit(1)
        }
        let delay = configuration.drainDelaySeconds
        let grace = configuration.shutdownGraceSeconds
        logger.info(delay > 0
            ? "shutting down: /status answers 503 now; serving \(delay) s more, then finishing requests in flight (up to \(grace) s)"
            : "shutting down: finishing requests in flight (up to \(grace) s)")
        shutdown(afterSeconds: delay)
        return true
    }
}
