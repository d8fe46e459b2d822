import Glibc
import MiniHTTP
import MiniHTTPCore
import MiniHTTPPosix

/// What a response answers: its request's method (HEAD has no body) and version.
struct Expectation: Sendable {
    var method: HTTPMethod
    var version: HTTPVersion = .http1_1
}

/// One round trip on a socket: the request bytes out, the responses back. Blocking (bounded by the
/// deadline): run it with ``onOwnThread(_:)``.
enum Exchange {
    /// Writes `request` while reading, so a server that answers before reading everything (413) or
    /// holds back a client that does not read (pipelining) never deadlocks the two. Returns one response
    /// per expectation (1xx interim ones folded into the next unless not `foldInterim`), or fewer when `allowFewer` and the server
    /// closed at a response boundary. `complete`: the expectations cover every request sent, so bytes
    /// that arrive after the last response belong to none (a framing fault, attached to that response);
    /// otherwise they stay for the next exchange.
    static func run(
        on socket: ClientSocket, request: [UInt8], expecting expectations: [Expectation], allowFewer: Bool,
        complete: Bool, foldInterim: Bool = true, timeout: Duration
    ) throws(TestClientError) -> [TestResponse] {
        let deadline = MonotonicClock.milliseconds() + timeout.milliseconds
        var sent = 0
        var responses: [TestResponse] = []
        var interim: [TestResponse] = []
        socket.complete = complete
        while true {
            let reading = responses.count < expectations.count
            if reading, let (response, consumed) = try ResponseParser.parse(
                socket.buffer[...], method: expectations[responses.count].method,
                version: expectations[responses.count].version, atEnd: socket.peerClosed) {
                socket.consume(consumed)
                if response.isInterim, foldInterim {
                    interim.append(response)
                } else {
                    responses.append(response.with(interim: interim, unexpected: []))
                    interim = []
                    socket.responses += 1
                }
                continue
            }
            let writing = sent < request.count && !socket.sendFailed
            if socket.peerClosed {
                guard reading else { break }
                if allowFewer, socket.buffer.isEmpty, interim.isEmpty { break }
                throw .connectionClosed(receivedBytes: socket.buffer.count)
            }
            // Every answer is in and every byte sent (or the server stopped reading).
            guard reading || writing else { break }
            guard try socket.wait(for: Int16(POLLIN) | (writing ? Int16(POLLOUT) : 0), until: deadline) else {
                throw .timedOut(timeout, receivedBytes: socket.buffer.count)
            }
            if writing { sent += socket.sendSome(request[sent...]) }
            socket.receiveAvailable()
        }
        // Anything already here now belongs to no request: a body where none may be, or a short length.
        if complete, !responses.isEmpty {
            socket.receiveAvailable()
            if !socket.buffer.isEmpty {
                let last = responses.count - 1
                responses[last] = responses[last].with(interim: responses[last].interim, unexpected: socket.takeBuffer())
            }
        }
        return responses
    }
}

extension Duration {
    /// Whole milliseconds, at least 1.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}

/// Runs blocking socket work on a thread of its own and awaits its result, so Swift's cooperative pool
/// (two threads on a two-core machine, shared with the server's async handlers) is never blocked. The
/// thread is joined before this returns: it has already delivered its result and is only returning.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws(TestClientError) -> T) async throws(TestClientError) -> T {
    let thread = Locked<PosixThread?>(nil)
    let result: Result<T, TestClientError> = await withCheckedContinuation { continuation in
        do {
            let started = try PosixThread(name: "minihttp-test") {
                do throws(TestClientError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.withLock { $0 = started }
        } catch {
            continuation.resume(returning: .failure(.system("\(error)")))
        }
    }
    // Set before the continuation's closure returned, so before this line runs.
    thread.withLock { $0 }?.join()
    return try result.get()
}
