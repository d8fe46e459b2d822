/// The one request header whose word on the client is believed from `trustedProxies` (the
/// `forwardedHeader` setting; nginx's `real_ip_header`). Only one: a proxy appends to the header it
/// writes and passes every other one through untouched, so a second header is the client's own word.
public enum ForwardedHeader: Sendable, Equatable, CustomStringConvertible {
    /// `X-Forwarded-For: client, proxy1, proxy2` (HAProxy `option forwardfor`, nginx
    /// `$proxy_add_x_forwarded_for`, cloud load balancers). The default.
    case xForwardedFor
    /// `Forwarded: for=client, for=proxy1` (RFC 7239).
    case forwarded
    /// No header is read: only the PROXY protocol (or the peer itself) names the client.
    case none

    /// `X-Forwarded-For`, `Forwarded` (any case) or nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "x-forwarded-for": self = .xForwardedFor
        case "forwarded": self = .forwarded
        default: return nil
        }
    }

    /// The header's name as configured, or `none`.
    public var description: String {
        switch self {
        case .xForwardedFor: "X-Forwarded-For"
        case .forwarded: "Forwarded"
        case .none: "none"
        }
    }
}
