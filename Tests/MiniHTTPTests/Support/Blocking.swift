@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Runs blocking test code (sockets with timeouts, sleeps) on a thread of its own and awaits its result.
///
/// Swift Testing runs test bodies on Swift concurrency's cooperative pool, which has one thread per core:
/// a test that blocks holds one. Async handlers run on that pool too, so a test that blocked while waiting
/// for an async handler's response — with another test blocking the other thread — would wait for a
/// handler that cannot run. Assertions stay in the test (an issue recorded on a foreign thread has no test
/// to belong to): the body returns what the test then checks.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    let result = Locked<Result<T, any Error>?>(nil)
    let thread = try PosixThread(name: "test-blocking") {
        let outcome = Result { try body() }
        result.withLock { $0 = outcome }
    }
    // Join without blocking the pool: poll until the thread has delivered, then reap it.
    while result.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(1)) }
    thread.join()
    guard let outcome = result.withLock({ $0 }) else { throw CancellationError() }
    return try outcome.get()
}

/// Polls `condition` every 5 ms for up to `seconds`, sleeping without holding a thread.
func eventually(seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = MonotonicClock.milliseconds() + Int64(seconds * 1000)
    while MonotonicClock.milliseconds() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}
