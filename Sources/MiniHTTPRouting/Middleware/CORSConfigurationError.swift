/// Why a ``CORS`` configuration was refused.
public enum CORSConfigurationError: Error, Equatable, CustomStringConvertible {
    /// `allowOrigins: .any` with `allowCredentials`: the Fetch standard forbids `*` with credentials
    /// (browsers refuse the response), so the combination would never work.
    case anyOriginWithCredentials
    /// An allowed origin that is not `scheme://host[:port]` (no path, no trailing `/`).
    case invalidOrigin(String)
    /// A header name that is not an HTTP token.
    case invalidHeaderName(String)

    /// What is wrong, for a start-up error message.
    public var description: String {
        switch self {
        case .anyOriginWithCredentials: "CORS: allowOrigins .any cannot be combined with allowCredentials"
        case .invalidOrigin(let origin): "CORS: '\(origin)' is not an origin (scheme://host[:port])"
        case .invalidHeaderName(let name): "CORS: '\(name)' is not a header name"
        }
    }
}
