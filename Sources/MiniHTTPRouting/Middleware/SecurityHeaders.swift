import MiniHTTPCore

/// Header fields that make browsers stricter with the site's responses, added to every response of its
/// router or group (the server's own answers included):
///
/// - `X-Content-Type-Options: nosniff` — no guessing a type other than `Content-Type`'s;
/// - `Referrer-Policy` (default `strict-origin-when-cross-origin`);
/// - `X-Frame-Options` (default `DENY`: no framing, against clickjacking);
/// - `Strict-Transport-Security` only when `hstsMaxAgeSeconds` is set — it tells browsers to use HTTPS
///   alone for that long, so set it only on a site served over HTTPS (behind a TLS proxy).
///
/// ```swift
/// router.add(middleware: SecurityHeaders())
/// ```
///
/// The fields are encoded once, here: a response costs no allocation for them (unless it already carries
/// encoded fields, as static files do).
public struct SecurityHeaders: Middleware {
    /// What `X-Frame-Options` allows.
    public enum Framing: String, Sendable {
        /// No page may frame the responses.
        case deny = "DENY"
        /// Only pages of the same origin may.
        case sameOrigin = "SAMEORIGIN"
    }

    let fields: [UInt8]

    /// - Parameters:
    ///   - referrerPolicy: the `Referrer-Policy` value; nil leaves the field out.
    ///   - framing: the `X-Frame-Options` value; nil leaves the field out.
    ///   - hstsMaxAgeSeconds: `Strict-Transport-Security: max-age=…`; nil (the default) leaves it out.
    ///   - hstsIncludesSubdomains: adds `includeSubDomains` to it.
    public init(
        referrerPolicy: String? = "strict-origin-when-cross-origin", framing: Framing? = .deny,
        hstsMaxAgeSeconds: Int? = nil, hstsIncludesSubdomains: Bool = false
    ) {
        var fields = [HTTPField(name: "X-Content-Type-Options", value: "nosniff")]
        if let referrerPolicy, referrerPolicy.utf8.allSatisfy({ $0 >= ASCII.space && $0 < 0x7F }) {
            fields.append(HTTPField(name: "Referrer-Policy", value: referrerPolicy))
        }
        if let framing { fields.append(HTTPField(name: "X-Frame-Options", value: framing.rawValue)) }
        if let hstsMaxAgeSeconds {
            let value = "max-age=\(max(0, hstsMaxAgeSeconds))" + (hstsIncludesSubdomains ? "; includeSubDomains" : "")
            fields.append(HTTPField(name: "Strict-Transport-Security", value: value))
        }
        self.fields = Response.encodedFields(fields)
    }

    /// Adds the fields.
    public func finish(_ response: inout Response, for request: Request) {
        response.appendEncodedFields(fields)
    }
}
