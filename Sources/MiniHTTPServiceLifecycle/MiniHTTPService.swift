import Logging
import MiniHTTP
import ServiceLifecycle
import UnixSignals

/// A minihttp ``Server`` as a swift-service-lifecycle `Service`: run it in a `ServiceGroup` next to the
/// application's other services, and graceful shutdown reaches it the usual way.
///
/// ```swift
/// let server = try Server(configuration: config, router: router)
/// let group = ServiceGroup(
///     services: [MiniHTTPService(server: server), database],
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
/// try await group.run()
/// ```
///
/// `run()` starts the workers and returns once they have stopped. Graceful shutdown (a signal the group
/// watches, or `ServiceGroup.triggerGracefulShutdown()`) begins the server's drain — after
/// `drainDelaySeconds`, during which `/status` answers 503 — and in-flight requests get
/// `shutdownGraceSeconds`. Cancellation skips (or cuts short) the delay and drains at once. Shutdown
/// signals are the group's to handle: do not also call `Server.run()`.
///
/// SIGUSR1 reopens the access log (log rotation), as for the `minihttp` command, while the service runs:
/// it no longer kills the process (afterwards SIGUSR1 stays ignored). Pass `reopenLogOnSIGUSR1: false` when the program handles SIGUSR1
/// itself (there can be one handler per signal) and call ``Server/reopenAccessLog()`` from it.
public struct MiniHTTPService: Service {
    public let server: Server
    /// Whether `run()` traps SIGUSR1 to reopen the access log.
    public let reopenLogOnSIGUSR1: Bool

    /// Wraps `server` (made, not yet started); `reopenLogOnSIGUSR1` as the property says.
    public init(server: Server, reopenLogOnSIGUSR1: Bool = true) {
        self.server = server
        self.reopenLogOnSIGUSR1 = reopenLogOnSIGUSR1
    }

    public func run() async throws {
        let server = self.server
        // Trapped before the server serves, so SIGUSR1 never meets the default action (terminate).
        let rotations = reopenLogOnSIGUSR1 ? await UnixSignalsSequence(trapping: .sigusr1) : nil
        try server.start()
        await withTaskGroup(of: Void.self) { tasks in
            if let rotations {
                tasks.addTask {
                    for await _ in rotations {  // until the server has stopped (cancelAll below)
                        do { try server.reopenAccessLog() } catch { Logger(label: "minihttp").error("reopening the access log: \(error)") }
                    }
                }
            }
            await withTaskCancellationHandler {
                await withGracefulShutdownHandler {
                    await server.stopped()
                    server.wait()  // the workers have finished, and a drain delay was cut short: this only reaps them
                } onGracefulShutdown: {
                    server.shutdown(afterSeconds: server.configuration.drainDelaySeconds)
                }
            } onCancel: {
                server.shutdown()
            }
            tasks.cancelAll()
        }
    }
}
