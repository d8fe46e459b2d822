import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Several sockets passed by systemd (LISTEN_FDS=2)")
struct PassedSocketsTests {
    /// A listening Unix socket at `path`.
    static func unixListener(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        listen(fd, 16)
        return fd
    }

    static func connectUnix(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return fd
    }

    @Test("a TCP and a Unix socket are served as one: readable when either has a connection, accept takes from both")
    func group() throws {
        let folder = TemporaryDirectory()
        let path = folder.path + "/s.sock"
        let tcp = try ListeningSocket(host: "127.0.0.1", port: 0, backlog: 16)
        let tcpCopy = dup(tcp.descriptor)  // the group owns its members
        let unix = Self.unixListener(path)
        let group = try ListeningSocket(inherited: [tcpCopy, unix])
        #expect(!group.acceptsExclusively)
        #expect(group.port == tcp.port)

        var watched = pollfd(fd: group.descriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&watched, 1, 0) == 0)  // nothing pending
        let client = try TestClient(port: tcp.port)
        let unixClient = Self.connectUnix(path)
        defer { Glibc.close(unixClient) }
        #expect(poll(&watched, 1, 5000) == 1)

        var peers: [String] = []
        while peers.count < 2 {
            guard poll(&watched, 1, 5000) == 1 else { break }
            while case .accepted(let fd, let peer) = group.accept() {
                peers.append(peer.host)
                Glibc.close(fd)
            }
        }
        #expect(peers.sorted() == ["-", "127.0.0.1"])
        if case .none = group.accept() {} else { Issue.record("a third connection was accepted") }
        client.close()
    }
}
