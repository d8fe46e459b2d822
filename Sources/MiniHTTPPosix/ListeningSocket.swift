import CSystem
import Glibc
import Synchronization
import MiniHTTPCore

/// A bound, listening TCP socket (IPv4 or IPv6), non-blocking, close-on-exec — or, when systemd passed
/// several (`LISTEN_FDS=2` and more), all of them behind one descriptor: an epoll instance that is readable
/// when any of them has a connection, and ``accept()`` takes from each in turn.
package final class ListeningSocket: Sendable {
    /// The socket to watch for connections (for a group, the epoll instance over its members).
    package let descriptor: Int32
    /// A group's listening sockets; empty for a single socket.
    package let members: [Int32]
    /// Where the next group ``accept()`` starts, so no member starves another.
    private let nextMember = Atomic<Int>(0)
    /// The port actually bound (useful when port 0 asked the kernel to choose).
    package let port: Int
    /// `true` when the socket listens on an IPv6 address.
    package let isIPv6: Bool
    /// The socket was passed by systemd (socket activation), which keeps its own copy: stopping must not
    /// shut it down, so connections arriving during a restart wait in its queue for the next process.
    package let isInherited: Bool

    /// Resolves `host` (a numeric address or a name such as `localhost`), binds and listens.
    package init(host: String, port: Int, backlog: Int, reusePort: Bool = false) throws(SystemError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SystemError("getaddrinfo(\(host))", errno: EADDRNOTAVAIL)
        }
        defer { freeaddrinfo(list) }

        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | csystem_SOCK_NONBLOCK | csystem_SOCK_CLOEXEC, 0)
        guard fd >= 0 else { throw SystemError("socket") }
        do throws(SystemError) {
            try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            if reusePort { try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEPORT, value: 1) }
            guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else { throw SystemError("bind") }
            guard listen(fd, Int32(clamping: backlog)) == 0 else { throw SystemError("listen") }
        } catch {
            Syscall.close(fd)
            throw error
        }
        descriptor = fd
        members = []
        isIPv6 = first.pointee.ai_family == AF_INET6
        isInherited = false
        self.port = SocketAddress.local(of: fd)?.port ?? port
    }

    /// Adopts a socket another process bound and passed (systemd socket activation): it must be a
    /// listening stream socket; it is made non-blocking and close-on-exec.
    package init(inherited fd: Int32) throws(SystemError) {
        try Self.adopt(fd)
        descriptor = fd
        members = []
        isInherited = true
        (isIPv6, port) = Self.family(of: fd)
    }

    /// Adopts every socket systemd passed (each as ``init(inherited:)`` checks it), served together.
    package init(inherited fds: [Int32]) throws(SystemError) {
        for fd in fds { try Self.adopt(fd) }
        let group = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard group >= 0 else { throw SystemError("epoll_create1") }
        for fd in fds {
            var event = epoll_event()
            event.events = EpollEvents.readable.rawValue
            event.data.fd = fd
            guard epoll_ctl(group, EPOLL_CTL_ADD, fd, &event) == 0 else {
                Syscall.close(group)
                throw SystemError("epoll_ctl")
            }
        }
        descriptor = group
        members = fds
        isInherited = true
        // The port shown is the first TCP member's (0 when all are Unix sockets).
        let families = fds.map { Self.family(of: $0) }
        (isIPv6, port) = families.first { $0.port != 0 } ?? (false, 0)
    }

    /// Whether workers may watch ``descriptor`` with `EPOLLEXCLUSIVE` (one wakes per connection). Not for
    /// a group: the kernel refuses it on an epoll instance, so every worker wakes and the losers find none.
    package var acceptsExclusively: Bool { members.isEmpty }

    private static func adopt(_ fd: Int32) throws(SystemError) {
        var accepting: Int32 = 0
        var type: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &size) == 0 else { throw SystemError("getsockopt(SO_ACCEPTCONN)") }
        size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) == 0 else { throw SystemError("getsockopt(SO_TYPE)") }
        guard accepting == 1, type == Int32(SOCK_STREAM.rawValue) else {
            throw SystemError("the passed descriptor \(fd) is not a listening stream socket", errno: ENOTSOCK)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    private static func family(of fd: Int32) -> (isIPv6: Bool, port: Int) {
        let local = SocketAddress.local(of: fd)
        return (local?.family == AF_INET6, local?.port ?? 0)
    }

    deinit {
        Syscall.close(descriptor)
        for fd in members { Syscall.close(fd) }
    }

    /// Stops listening: new connections are refused from now on, and `accept` fails with `EINVAL`.
    /// The descriptor stays valid (it is closed with this object), so workers watching it are not confused
    /// by a reused descriptor number.
    package func stopListening() {
        guard !isInherited else { return }
        _ = shutdown(descriptor, Int32(SHUT_RD))
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket; `.none` when no connection
    /// is pending (`EAGAIN`).
    package func accept() -> AcceptResult {
        guard !members.isEmpty else { return Self.accept(descriptor) }
        let start = nextMember.wrappingAdd(1, ordering: .relaxed).oldValue
        for offset in 0..<members.count {
            let result = Self.accept(members[(start &+ offset) % members.count])
            if case .none = result { continue }
            return result
        }
        return .none
    }

    private static func accept(_ descriptor: Int32) -> AcceptResult {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    csystem_accept4(descriptor, $0, &length, csystem_SOCK_NONBLOCK | csystem_SOCK_CLOEXEC)
                }
            }
            if fd >= 0 { return .accepted(fd, SocketAddress(storage)) }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue  // the connection died in the queue: take the next
            case EAGAIN, EWOULDBLOCK: return .none
            case let error: return .failed(error)
            }
        }
    }
}

/// What one `accept` produced.
package enum AcceptResult {
    case accepted(Int32, SocketAddress)
    case none
    case failed(Int32)
}
