import Glibc
import Logging
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// The seam of `MiniHTTPTesting`'s in-process mode: a server with no listening socket, whose connections
/// are one end of a `socketpair` handed to a worker. Everything after the socket — parser, connection state
/// machine, router, handlers, finaliser, encoder — is the code a listening server runs; nothing else can
/// connect (no port, no network).
extension Server {
    /// A server that binds nothing and takes no sockets from systemd; ``start()`` starts its workers, and
    /// ``connectInProcess()`` gives them connections.
    package convenience init(inProcess configuration: ServerConfig, router: Router, logger: Logger) throws(ServerError) {
        try self.init(configuration: configuration, router: router, logger: logger, listening: false)
    }

    /// The peer an in-process connection reports: 127.0.0.1, port 0 (`Request.remoteAddress`, the access
    /// log, the connection limits and the trusted-proxy check all see this address).
    package static var inProcessPeer: SocketAddress {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { target in
            withUnsafeBytes(of: &address) { target.copyMemory(from: $0) }
        }
        return SocketAddress(storage)
    }

    /// Makes a connected pair of Unix stream sockets, hands one end to a worker (round robin) as if it had
    /// accepted it from ``inProcessPeer``, and returns the other end (non-blocking, close-on-exec) to the
    /// caller, who owns it. Works on any server: one that listens serves these alongside.
    /// - Throws: ``ServerError/system(_:)`` when the pair cannot be made, or the server has stopped.
    package func connectInProcess() throws(ServerError) -> Int32 {
        var ends: [Int32] = [-1, -1]
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &ends) == 0 else { throw .system(SystemError("socketpair")) }
        let turn = inProcessTurn.add(1, ordering: .relaxed).oldValue
        guard mailboxes[turn % mailboxes.count].send(.adopt(ends[0], peer: Self.inProcessPeer)) else {
            Syscall.close(ends[0])
            Syscall.close(ends[1])
            throw .system(SystemError("connect (in process): the server has stopped", errno: ECONNREFUSED))
        }
        return ends[1]
    }
}

extension Worker {
    /// An in-process connection: served like an accepted one, unless a drain has begun (then closed,
    /// as a listener that has stopped accepting would refuse it).
    func adoptHandedOver(_ fd: Int32, _ peer: SocketAddress) {
        guard !isDraining else {
            Syscall.close(fd)
            return
        }
        adopt(fd, peer)
    }
}
