import Glibc
import MiniHTTP
import MiniHTTPCore
import MiniHTTPPosix

/// One client connection: its socket, and the bytes read past the last response. Non-blocking; every
/// wait is a `poll` bounded by the exchange's deadline, on a thread of its own (never Swift's pool).
///
/// `@unchecked Sendable`: a socket belongs to one ``TestConnection`` and is taken out of that connection's
/// lock for the length of one exchange, so exactly one thread uses it at a time.
final class ClientSocket: @unchecked Sendable {
    let fd: Int32
    private(set) var buffer: [UInt8] = []
    /// The server has finished sending (or reset the connection).
    private(set) var peerClosed = false
    /// The server stopped reading (it closed or reset): nothing more can be sent.
    private(set) var sendFailed = false
    /// Responses read on this socket so far.
    var responses = 0
    /// The last exchange read the answers to everything it sent: bytes arriving before the next request
    /// belong to no request.
    var complete = true
    private var closed = false

    init(fd: Int32) {
        self.fd = fd
    }

    deinit { close() }

    func close() {
        guard !closed else { return }
        closed = true
        Syscall.close(fd)
    }

    /// Live mode: a non-blocking TCP connection to 127.0.0.1:`port`, established by `deadline`.
    static func connect(port: Int, deadline: Int64, timeout: Duration) throws(TestClientError) -> ClientSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system(SystemError("socket").description) }
        let socket = ClientSocket(fd: fd)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if status != 0 {
            guard errno == EINPROGRESS else { throw .system(SystemError("connect").description) }
            guard try socket.wait(for: Int16(POLLOUT), until: deadline) else {
                throw .timedOut(timeout, receivedBytes: 0)
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { throw .system(SystemError("connect", errno: error).description) }
        }
        try? Syscall.setOption(fd, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
        return socket
    }

    /// Waits for `events`; false at the deadline. Hang-ups and errors count as readiness (the next call says what).
    func wait(for events: Int16, until deadline: Int64) throws(TestClientError) -> Bool {
        while true {
            let left = deadline - MonotonicClock.milliseconds()
            guard left > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left, 60_000)))
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { throw .system(SystemError("poll").description) }
        }
    }

    /// Sends what the socket takes now; returns how many bytes went (0 when full or the server is gone).
    func sendSome(_ bytes: ArraySlice<UInt8>) -> Int {
        guard !sendFailed else { return 0 }
        let sent = bytes.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            return Glibc.send(fd, base, raw.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        if sent >= 0 { return sent }
        if errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { sendFailed = true }
        return 0
    }

    /// Reads what is there now into ``buffer``; returns false when nothing was (or the peer has closed).
    @discardableResult
    func receiveAvailable() -> Bool {
        guard !peerClosed else { return false }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var any = false
        while true {
            let count = chunk.withUnsafeMutableBytes { raw in recv(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                any = true
                if count < chunk.count { return true }
                continue
            }
            if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                // End of stream, or a reset: either way, nothing more will come.
                peerClosed = true
                return any
            }
            if errno == EINTR { continue }
            return any
        }
    }

    func consume(_ count: Int) {
        buffer.removeFirst(count)
    }

    func takeBuffer() -> [UInt8] {
        defer { buffer = [] }
        return buffer
    }
}
