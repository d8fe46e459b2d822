import Glibc
import MiniHTTPCore

/// A failed system call: which call, and the `errno` it left.
public struct SystemError: Error, Equatable, CustomStringConvertible {
    /// The name of the system call that failed, such as `bind`.
    public let call: String
    /// The `errno` value the call left.
    public let errno: Int32

    /// Captures the calling thread's current `errno` for `call`.
    package init(_ call: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.errno = errno
    }

    /// A one-line description such as `bind: Address already in use`.
    public var description: String {
        "\(call): \(String(cString: strerror(errno)))"
    }

    /// Whether the error means the address is taken by another socket.
    public var isAddressInUse: Bool { errno == EADDRINUSE }
}
