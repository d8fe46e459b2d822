import Glibc
import MiniHTTPCore

/// A socket address as the kernel gave it (`accept4`, `getsockname`), decoded once: the one place a
/// `sockaddr` is read.
package struct SocketAddress: Sendable {
    /// `AF_INET`, `AF_INET6`, `AF_UNIX`, …
    package let family: Int32
    /// The port; 0 for a family without one.
    package let port: Int
    /// The IP address (IPv4 as IPv4-mapped); nil for a family without one (a Unix socket).
    package let ipAddress: IPAddress?

    package init(_ storage: sockaddr_storage) {
        var copy = storage
        family = Int32(storage.ss_family)
        (port, ipAddress) = withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address -> (Int, IPAddress?) in
                switch Int32(address.pointee.sa_family) {
                case AF_INET:
                    return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        var raw = $0.pointee.sin_addr
                        return (Int(UInt16(bigEndian: $0.pointee.sin_port)),
                                withUnsafeBytes(of: &raw) { IPAddress(networkBytes: $0) })
                    }
                case AF_INET6:
                    return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        var raw = $0.pointee.sin6_addr
                        return (Int(UInt16(bigEndian: $0.pointee.sin6_port)),
                                withUnsafeBytes(of: &raw) { IPAddress(networkBytes: $0) })
                    }
                default:
                    return (0, nil)
                }
            }
        }
    }

    /// The address a socket is bound to (`getsockname`); nil if it cannot be read.
    package static func local(of fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return status == 0 ? SocketAddress(storage) : nil
    }

    /// The address as 128 bits; `::` for a family without one.
    package var address: IPAddress { ipAddress ?? IPAddress(high: 0, low: 0) }

    /// The numeric host: `127.0.0.1`, `::1` (an IPv4-mapped address as the IPv4 address it is); `-` for a
    /// family without one.
    package var host: String { ipAddress?.description ?? "-" }
}
