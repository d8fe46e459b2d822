import MiniHTTPCore
/// Why a ``SetCookie`` could not be made. Each case names the cookie; ``description`` says what to fix.
public enum CookieError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name is empty or not a token (RFC 9110 §5.6.2).
    case invalidName(String)
    /// The value holds a character outside cookie-octets (RFC 6265 §4.1.1): space, `"`, `,`, `;`, `\`,
    /// control or non-ASCII.
    case invalidValue(name: String)
    /// The expiry date cannot be written as an HTTP date (years 1601 to 9999).
    case expiresOutOfRange(name: String)
    /// `Max-Age` is negative.
    case negativeMaxAge(name: String)
    /// `Domain` is not a host name.
    case invalidDomain(name: String)
    /// `Path` does not start with `/`, or holds a control character or `;`.
    case invalidPath(name: String)
    /// `SameSite=None` without `Secure`: browsers reject the cookie.
    case sameSiteNoneRequiresSecure(name: String)
    /// `Partitioned` without `Secure`: browsers reject the cookie.
    case partitionedRequiresSecure(name: String)
    /// A `__Secure-` or `__Host-` name without `Secure` (RFC 6265bis §4.1.3).
    case prefixRequiresSecure(name: String)
    /// A `__Host-` name with a `Domain`, or a `Path` other than `/` (RFC 6265bis §4.1.3.2).
    case hostPrefixRequiresRootPath(name: String)

    /// One line naming the cookie and the rule it breaks.
    public var description: String {
        switch self {
        case .invalidName(let name):
            "cookie name '\(name)' is not a token (letters, digits and !#$%&'*+-.^_`|~)"
        case .invalidValue(let name):
            "cookie '\(name)': the value may hold only visible ASCII except space, '\"', ',', ';' and '\\'"
        case .expiresOutOfRange(let name): "cookie '\(name)': Expires must fall in the years 1601 to 9999"
        case .negativeMaxAge(let name): "cookie '\(name)': Max-Age must be 0 or more"
        case .invalidDomain(let name): "cookie '\(name)': Domain must be a host name"
        case .invalidPath(let name): "cookie '\(name)': Path must start with '/' and hold no ';' or control characters"
        case .sameSiteNoneRequiresSecure(let name): "cookie '\(name)': SameSite=None requires Secure"
        case .partitionedRequiresSecure(let name): "cookie '\(name)': Partitioned requires Secure"
        case .prefixRequiresSecure(let name): "cookie '\(name)': a __Secure- or __Host- name requires Secure"
        case .hostPrefixRequiresRootPath(let name): "cookie '\(name)': a __Host- name requires Path=/ and no Domain"
        }
    }
}
