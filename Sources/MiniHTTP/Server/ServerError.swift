import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Why a server could not start.
public enum ServerError: Error, CustomStringConvertible {
    case listen(host: String, port: Int, SystemError)
    case publicDirectory(String, SystemError)
    case accessLog(SystemError)
    case invalidRoute(String)
    case system(SystemError)
    /// A setting that cannot be used, named by its configuration key.
    case configuration(key: String, reason: String)

    public var description: String {
        switch self {
        case .listen(let host, let port, let error):
            let reason = error.isAddressInUse ? "the address is already in use" : error.description
            return "cannot listen on \(host):\(port): \(reason)"
        case .publicDirectory(let path, let error): return "cannot open the public folder '\(path)': \(error)"
        case .accessLog(let error): return "cannot open the access log: \(error)"
        case .invalidRoute(let pattern): return "invalid route pattern '\(pattern)'"
        case .system(let error): return error.description
        case .configuration(let key, let reason): return "\(key): \(reason)"
        }
    }
}
