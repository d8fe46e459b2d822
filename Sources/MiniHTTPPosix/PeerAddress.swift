import Glibc
import MiniHTTPCore

/// A socket address, kept as the kernel gave it; formatted to text once per connection.
package struct PeerAddress {
    private var storage: sockaddr_storage

    package init(_ storage: sockaddr_storage) { self.storage = storage }

    package var port: Int {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address -> Int in
                switch Int32(address.pointee.sa_family) {
                case AF_INET:
                    return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        Int(UInt16(bigEndian: $0.pointee.sin_port))
                    }
                case AF_INET6:
                    return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        Int(UInt16(bigEndian: $0.pointee.sin6_port))
                    }
                default: return 0
                }
            }
        }
    }

    /// The address as 128 bits (IPv4 mapped); `::` for a family without one.
    package var address: IPAddress { IPAddress(storage) ?? IPAddress(high: 0, low: 0) }

    /// The numeric host: `127.0.0.1`, `::1`, or the IPv4 address inside an IPv4-mapped IPv6 address.
    package var host: String {
        var copy = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let ok = withUnsafePointer(to: &copy) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address -> Bool in
                switch Int32(address.pointee.sa_family) {
                case AF_INET:
                    return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        var raw = $0.pointee.sin_addr
                        return inet_ntop(AF_INET, &raw, &text, socklen_t(text.count)) != nil
                    }
                case AF_INET6:
                    return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        var raw = $0.pointee.sin6_addr
                        return inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count)) != nil
                    }
                default: return false
                }
            }
        }
        guard ok else { return "-" }
        let full = String(nulTerminated: text)
        // "::ffff:1.2.3.4" is an IPv4 client on a dual-stack socket: log it as the IPv4 address it is.
        if full.hasPrefix("::ffff:"), full.contains(".") { return String(full.dropFirst(7)) }
        return full
    }
}
