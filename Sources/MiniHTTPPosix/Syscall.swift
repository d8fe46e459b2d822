import CSystem
import Glibc
import MiniHTTPCore

/// The outcome of a non-blocking read or write.
package enum IOResult: Equatable {
    /// This many bytes moved (for a read, 0 means the peer finished sending).
    case bytes(Int)
    /// The call would block: wait for readiness.
    case wouldBlock
    /// The connection is gone or broken (reset, broken pipe, …): close it.
    case failed(Int32)
}

/// Thin, allocation-free funnels for the calls on the per-request path. Each retries `EINTR` (a signal
/// interrupted the call: no failure) and maps `EAGAIN` to `.wouldBlock`.
package enum Syscall {
    /// Runs `call` until it is not interrupted: its count, `.wouldBlock` for `EAGAIN`, or the failure.
    @inline(__always)
    private static func retrying(_ call: () -> Int) -> IOResult {
        while true {
            let n = call()
            if n >= 0 { return .bytes(n) }
            let error = errno
            if error == EINTR { continue }
            if error == EAGAIN || error == EWOULDBLOCK { return .wouldBlock }
            return .failed(error)
        }
    }

    @inline(__always)
    package static func receive(_ fd: Int32, into pointer: UnsafeMutableRawPointer, count: Int) -> IOResult {
        retrying { recv(fd, pointer, count, 0) }
    }

    @inline(__always)
    package static func send(_ fd: Int32, _ pointer: UnsafeRawPointer, count: Int, more: Bool = false) -> IOResult {
        // MSG_MORE: more follows at once (a file after its head), so the kernel need not send a short packet.
        let flags = Int32(MSG_NOSIGNAL) | (more ? Int32(MSG_MORE) : 0)
        return retrying { Glibc.send(fd, pointer, count, flags) }
    }

    /// `writev` on a socket. `SIGPIPE` is ignored process-wide by the server, so a closed peer yields `EPIPE`.
    @inline(__always)
    package static func writev(_ fd: Int32, _ vectors: UnsafePointer<iovec>, count: Int32) -> IOResult {
        retrying { Glibc.writev(fd, vectors, count) }
    }

    /// `sendfile` from `file` at `offset` (advanced by the kernel) to the socket.
    @inline(__always)
    package static func sendfile(_ socket: Int32, _ file: Int32, offset: inout Int, count: Int) -> IOResult {
        retrying {
            var position = off_t(offset)
            defer { offset = Int(position) }
            return Glibc.sendfile(socket, file, &position, count)
        }
    }

    /// Closes a descriptor. `EINTR` from close must not be retried on Linux: the descriptor is already gone.
    @inline(__always)
    package static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Sets an integer socket option; failures are reported to the caller.
    package static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) throws(SystemError) {
        var value = value
        if setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            throw SystemError("setsockopt")
        }
    }

    /// Raises the soft limit on open descriptors to the hard limit, as nginx's `worker_rlimit_nofile` and
    /// Go's runtime do: each connection is a descriptor, and the usual soft limit of 1024 is far too low.
    package static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Ignores SIGPIPE for the whole process: `sendfile` and `writev` on a closed socket must return
    /// `EPIPE` rather than kill the server (`MSG_NOSIGNAL` only covers `send`).
    package static func ignoreBrokenPipeSignal() {
        _ = signal(SIGPIPE, SIG_IGN)
    }
}
