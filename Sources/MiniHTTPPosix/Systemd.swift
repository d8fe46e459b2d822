import CSystem
import Glibc
import MiniHTTPCore

/// The two systemd protocols a service speaks without linking libsystemd: socket activation (take the
/// listening socket systemd passes as descriptor 3) and readiness notification (datagrams to
/// `NOTIFY_SOCKET`). Both do nothing when the variables are absent, so the server runs the same anywhere.
package enum Systemd {
    /// The first descriptor systemd passes (`SD_LISTEN_FDS_START`).
    package static let firstPassedDescriptor: Int32 = 3

    /// The listening sockets systemd passed (descriptors 3, 4, …), if `LISTEN_PID` is this process and
    /// `LISTEN_FDS` is at least 1. The variables are removed, so a child process does not take them.
    package static func passedListeners() -> [Int32]? {
        guard let pidText = getenv("LISTEN_PID").map({ String(cString: $0) }),
              let countText = getenv("LISTEN_FDS").map({ String(cString: $0) })
        else { return nil }
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        guard Int32(pidText) == getpid(), let count = Int32(countText), (1...4096).contains(count) else { return nil }
        return Array(firstPassedDescriptor..<(firstPassedDescriptor + count))
    }

    /// Sends `state` (`READY=1`, `STOPPING=1`, `STATUS=…`) to the service manager; false when there is
    /// none (`NOTIFY_SOCKET` unset) or the datagram could not be sent.
    @discardableResult
    package static func notify(_ state: String) -> Bool {
        guard let pathPointer = getenv("NOTIFY_SOCKET") else { return false }
        var path = Array(String(cString: pathPointer).utf8)
        guard !path.isEmpty else { return false }
        // "@name" is a socket in the abstract namespace: its address begins with a NUL byte.
        if path[0] == UInt8(ascii: "@") { path[0] = 0 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | csystem_SOCK_CLOEXEC, 0)
        guard fd >= 0 else { return false }
        defer { Syscall.close(fd) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
            }
        }
        return sent == message.count
    }
}
