#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MiniHTTPCore

/// A cookie to set in the client, written as a `Set-Cookie` header field (RFC 6265 §4.1):
///
/// ```swift
/// let session = try SetCookie(name: "session", value: token, maxAge: 3600, path: "/",
///                             secure: true, httpOnly: true, sameSite: .lax)
/// response.setCookie(session)   // Set-Cookie: session=…; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax
/// ```
///
/// Everything is checked once, in the initializer, which throws a ``CookieError`` naming what is wrong;
/// a `SetCookie` that exists always renders a valid header value. The properties are read-only so the
/// checks cannot be bypassed later; to delete a cookie, set ``expired(name:domain:path:)``.
public struct SetCookie: Sendable, Hashable {
    /// Where a browser sends the cookie with cross-site requests (RFC 6265bis §5.4.7).
    ///
    /// Not optional, so that `.none` always means `SameSite=None` and never `Optional.none`.
    public enum SameSite: Sendable, Hashable {
        /// No `SameSite` attribute: the browser decides (most treat it as `Lax`).
        case unspecified
        /// Same-site requests only.
        case strict
        /// Same-site requests, and top-level navigations to the site.
        case lax
        /// Every request; browsers accept it only on a `Secure` cookie, so the initializer requires one.
        case none

        /// The attribute's value, or nil for ``unspecified``.
        var attributeValue: String? {
            switch self {
            case .unspecified: nil
            case .strict: "Strict"
            case .lax: "Lax"
            case .none: "None"
            }
        }
    }

    /// The name: a token (RFC 9110 §5.6.2).
    public let name: String
    /// The value: cookie-octets (RFC 6265 §4.1.1), optionally in double quotes; may be empty.
    public let value: String
    /// When the cookie expires, sent as an IMF-fixdate (RFC 9110 §5.6.7).
    public let expires: Date?
    /// How many seconds the cookie lives; 0 expires it at once. Wins over ``expires`` where both are given.
    public let maxAge: Int?
    /// The host the cookie is also sent to, with its subdomains.
    public let domain: String?
    /// The path prefix the cookie is sent under; starts with `/`.
    public let path: String?
    /// Sent over HTTPS only.
    public let secure: Bool
    /// Hidden from scripts in the page.
    public let httpOnly: Bool
    /// Cross-site policy.
    public let sameSite: SameSite
    /// Kept per top-level site (CHIPS); requires ``secure``.
    public let partitioned: Bool

    /// A cookie with the given attributes, checked.
    /// - Parameters:
    ///   - name: A token.
    ///   - value: Cookie-octets, optionally in double quotes (percent- or base64url-encode anything else).
    ///   - expires: When it expires (years 1601 to 9999).
    ///   - maxAge: Seconds it lives, at least 0.
    ///   - domain: A host name (letters, digits, `-`, `.`).
    ///   - path: Starts with `/`; no control characters or `;`.
    ///   - secure: HTTPS only.
    ///   - httpOnly: Hidden from scripts.
    ///   - sameSite: Cross-site policy (none given unless told); `.none` requires `secure`.
    ///   - partitioned: Partitioned storage; requires `secure`.
    /// - Throws: ``CookieError`` for the first attribute that breaks its rule, and for a `__Secure-` or
    ///   `__Host-` name whose prefix rules (RFC 6265bis §4.1.3) are not met.
    public init(
        name: String, value: String, expires: Date? = nil, maxAge: Int? = nil, domain: String? = nil,
        path: String? = nil, secure: Bool = false, httpOnly: Bool = false, sameSite: SameSite = .unspecified,
        partitioned: Bool = false
    ) throws(CookieError) {
        guard CookieSyntax.isToken(name) else { throw .invalidName(name) }
        guard CookieSyntax.isCookieValue(value) else { throw .invalidValue(name: name) }
        if let expires, Self.expirySeconds(expires) == nil { throw .expiresOutOfRange(name: name) }
        if let maxAge, maxAge < 0 { throw .negativeMaxAge(name: name) }
        if let domain, !CookieSyntax.isDomain(domain) { throw .invalidDomain(name: name) }
        if let path, !(path.hasPrefix("/") && CookieSyntax.isAttributeValue(path)) {
            throw .invalidPath(name: name)
        }
        if sameSite == .none, !secure { throw .sameSiteNoneRequiresSecure(name: name) }
        if partitioned, !secure { throw .partitionedRequiresSecure(name: name) }
        if name.hasPrefix("__Secure-") || name.hasPrefix("__Host-"), !secure {
            throw .prefixRequiresSecure(name: name)
        }
        if name.hasPrefix("__Host-"), domain != nil || path != "/" { throw .hostPrefixRequiresRootPath(name: name) }
        self.name = name
        self.value = value
        self.expires = expires
        self.maxAge = maxAge
        self.domain = domain
        self.path = path
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.partitioned = partitioned
    }

    /// A cookie that deletes the one called `name`: empty value, `Max-Age=0` and an `Expires` in 1970 (for
    /// clients older than `Max-Age`). Give the `domain` and `path` it was set with, or it is not matched.
    /// - Throws: ``CookieError`` when the name, domain or path is invalid.
    public static func expired(name: String, domain: String? = nil, path: String? = nil) throws(CookieError)
        -> SetCookie
    {
        let secure = name.hasPrefix("__Secure-") || name.hasPrefix("__Host-")
        return try SetCookie(
            name: name, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: domain,
            path: path, secure: secure)
    }

    /// The `Set-Cookie` field value: `name=value` then the attributes, in RFC 6265 §4.1.1's order.
    public var headerValue: String {
        var out = "\(name)=\(value)"
        if let expires, let seconds = Self.expirySeconds(expires) {
            out += "; Expires=" + String(decoding: HTTPDate.format(seconds), as: UTF8.self)
        }
        if let maxAge { out += "; Max-Age=\(maxAge)" }
        if let domain { out += "; Domain=\(domain)" }
        if let path { out += "; Path=\(path)" }
        if secure { out += "; Secure" }
        if httpOnly { out += "; HttpOnly" }
        if let sameSite = sameSite.attributeValue { out += "; SameSite=\(sameSite)" }
        if partitioned { out += "; Partitioned" }
        return out
    }

    /// The `Set-Cookie` header field.
    public var headerField: HTTPField { HTTPField(name: "Set-Cookie", value: headerValue) }
}

extension Response {
    /// Adds a `Set-Cookie` field for `cookie` (one field per cookie: `Set-Cookie` is never folded, RFC 6265 §3).
    public mutating func setCookie(_ cookie: SetCookie) {
        headers.append(cookie.headerField)
    }
}

extension SetCookie {
    /// 1601-01-01T00:00:00Z to 9999-12-31T23:59:59Z: the years a cookie date may have (RFC 6265 §5.1.1).
    private static let representableSeconds = -11_644_473_600...253_402_300_799

    /// Whole seconds since 1970 (rounded down), or nil outside the years a cookie date may have.
    fileprivate static func expirySeconds(_ date: Date) -> Int? {
        let interval = date.timeIntervalSince1970.rounded(.down)
        guard interval.isFinite, let seconds = Int(exactly: interval), representableSeconds.contains(seconds) else {
            return nil
        }
        return seconds
    }
}
