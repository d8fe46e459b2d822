/// A route's handler: takes the request, returns the response.
///
/// Handlers run synchronously on the worker thread that owns the connection — no task hop on the hot
/// path. A handler that blocks (sleeps, waits on a lock, does slow I/O) holds up every other connection of
/// that worker until it returns. A handler that throws is answered 500, the error is logged, and the
/// connection and server go on.
public typealias Handler = @Sendable (Request) throws -> Response
