import MiniHTTPCore
import MiniHTTPPosix
/// A route's handler: takes the request, returns the response.
///
/// Handlers run synchronously on the worker thread that owns the connection — no task hop on the hot
/// path. A handler that blocks (sleeps, waits on a lock, does slow I/O) holds up every other connection of
/// that worker until it returns. A handler that throws is answered 500, the error is logged, and the
/// connection and server go on.
public typealias Handler = @Sendable (Request) throws -> Response

/// A route's handler that awaits: a database, another service, a timer.
///
/// The worker does not wait for it: the connection is parked (nothing more is parsed from it), the
/// handler runs as a task on Swift concurrency's global executor, and its response is handed back to the
/// worker that owns the connection, which writes it in order — requests the client pipelined behind it
/// are answered after it. If the client goes away (closes or resets its connection) while the handler
/// runs, the connection is freed at once, the task is cancelled (`Task.isCancelled` turns true, and
/// cancellation-aware calls such as `Task.sleep` throw), and its result is dropped.
/// Costs one task and a hand-back per request: choose it only for handlers that wait.
public typealias AsyncHandler = @Sendable (Request) async throws -> Response
