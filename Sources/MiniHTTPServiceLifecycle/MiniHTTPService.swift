import Logging
import MiniHTTP
import ServiceLifecycle

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
/// `shutdownGraceSeconds`. Cancellation skips the delay and drains at once. Signals are the group's to
/// handle: do not also call `Server.run()`.
public struct MiniHTTPService: Service {
    public let server: Server

    public init(server: Server) {
        self.server = server
    }

    public func run() async throws {
        try server.start()
        let server = self.server
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await server.stopped()
                server.wait()  // the threads have finished: this only reaps them
            } onGracefulShutdown: {
                server.shutdown(afterSeconds: server.configuration.drainDelaySeconds)
            }
        } onCancel: {
            server.shutdown()
        }
    }
}
