import MiniHTTPCore

/// Cross-origin resource sharing (the Fetch standard's CORS protocol): lets pages from other origins
/// call these routes from a browser.
///
/// ```swift
/// router.add(middleware: try CORS(allowOrigins: .list(["https://app.example"])))
/// ```
///
/// - A request from an allowed origin gets `Access-Control-Allow-Origin` (and `-Allow-Credentials`,
///   `-Expose-Headers` as configured); every response of a listed or matched origin set says
///   `Vary: Origin`, so caches keep the answers apart.
/// - A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed origin is
///   answered `204 No Content` with the allowed methods, headers and max-age; the handler does not run.
///   A route needs no `OPTIONS` handler: this works on the server's own answers too (a group's 404, 405).
/// - A request from any other origin, or without `Origin`, passes through without CORS fields (the
///   browser then blocks the page from reading the answer); only `Vary: Origin` is added.
///
/// For a listed origin or `.any` the fields are encoded once, here: a request costs no allocation.
public struct CORS: Middleware {
    /// Which origins may read responses.
    public enum Origins: Sendable {
        /// Every origin (`Access-Control-Allow-Origin: *`); not with credentials.
        case any
        /// These origins exactly, as browsers send them: `https://app.example`, `http://localhost:5173`.
        case list([String])
        /// The origins `predicate` accepts (it gets the `Origin` field's value); costs a string per request.
        case matching(@Sendable (String) -> Bool)
    }

    let origins: Origins
    /// For `.list`: each origin's bytes and its encoded fields (allow-origin, credentials, expose, vary).
    let listed: [(origin: [UInt8], fields: [UInt8])]
    /// For `.any`: `*` and the exposed headers; for `.matching`: credentials and exposed headers.
    let sharedFields: [UInt8]
    let varyOrigin: [UInt8] = Array("Vary: Origin\r\n".utf8)
    /// The preflight's fields after `Access-Control-Allow-Origin`.
    let preflightFields: [HTTPField]
    let allowCredentials: Bool

    /// - Parameters:
    ///   - allowOrigins: the origins whose pages may read the responses.
    ///   - allowMethods: what a preflight allows (`Access-Control-Allow-Methods`).
    ///   - allowHeaders: request headers a preflight allows beyond the CORS-safelisted ones.
    ///   - exposeHeaders: response headers a page may read beyond the safelisted ones.
    ///   - allowCredentials: whether cookies and `Authorization` may be sent (and the answer read).
    ///   - maxAgeSeconds: how long a browser may cache a preflight's answer; nil leaves it to the browser.
    /// - Throws: ``CORSConfigurationError`` for `.any` with credentials, an origin that is not
    ///   `scheme://host[:port]`, or a header name that is not a token.
    public init(
        allowOrigins: Origins, allowMethods: [HTTPMethod] = [.get, .head, .post, .put, .patch, .delete],
        allowHeaders: [String] = ["Content-Type", "Authorization"], exposeHeaders: [String] = [],
        allowCredentials: Bool = false, maxAgeSeconds: Int? = 600
    ) throws(CORSConfigurationError) {
        for name in allowHeaders + exposeHeaders where !Self.isToken(name) { throw .invalidHeaderName(name) }
        var shared: [HTTPField] = []
        if allowCredentials { shared.append(HTTPField(name: "Access-Control-Allow-Credentials", value: "true")) }
        if !exposeHeaders.isEmpty {
            shared.append(HTTPField(name: "Access-Control-Expose-Headers", value: exposeHeaders.joined(separator: ", ")))
        }
        let vary = HTTPField(name: "Vary", value: "Origin")
        switch allowOrigins {
        case .any:
            if allowCredentials { throw .anyOriginWithCredentials }
            listed = []
            sharedFields = Response.encodedFields([HTTPField(name: "Access-Control-Allow-Origin", value: "*")] + shared)
        case .list(let origins):
            listed = try origins.map { (origin: String) throws(CORSConfigurationError) in
                guard let normalized = Self.normalizedOrigin(origin) else { throw .invalidOrigin(origin) }
                let allow = HTTPField(name: "Access-Control-Allow-Origin", value: normalized)
                return (Array(normalized.utf8), Response.encodedFields([allow] + shared + [vary]))
            }
            sharedFields = []
        case .matching:
            listed = []
            sharedFields = Response.encodedFields(shared + [vary])
        }
        origins = allowOrigins
        self.allowCredentials = allowCredentials
        var preflight = [
            HTTPField(name: "Access-Control-Allow-Methods", value: allowMethods.map(\.description).joined(separator: ", "))
        ]
        if !allowHeaders.isEmpty {
            preflight.append(HTTPField(name: "Access-Control-Allow-Headers", value: allowHeaders.joined(separator: ", ")))
        }
        if let maxAgeSeconds { preflight.append(HTTPField(name: "Access-Control-Max-Age", value: String(maxAgeSeconds))) }
        preflightFields = preflight
    }

    /// Answers an allowed origin's preflight; everything else goes on.
    public func handle(_ request: inout Request) throws -> Response? {
        guard Self.isPreflight(request), let origin = request.headers.valueBytes("origin"),
              let allowOrigin = allowedOriginValue(origin)
        else { return nil }
        return preflightResponse(allowOrigin: allowOrigin)
    }

    /// Adds the CORS fields for an allowed origin, `Vary: Origin` otherwise.
    public func finish(_ response: inout Response, for request: Request) {
        guard let origin = request.headers.valueBytes("origin") else {
            if case .any = origins { return }  // the answer does not depend on Origin
            response.appendEncodedFields(varyOrigin)
            return
        }
        switch origins {
        case .any:
            if Self.isPreflight(request) { return }  // answered by `handle`
            response.appendEncodedFields(sharedFields)
        case .list:
            guard let fields = listed.first(where: { $0.origin.elementsEqual(origin) })?.fields else {
                response.appendEncodedFields(varyOrigin)
                return
            }
            if Self.isPreflight(request) { return }  // answered by `handle`
            response.appendEncodedFields(fields)
        case .matching(let predicate):
            let value = String(decoding: origin, as: UTF8.self)
            guard predicate(value) else {
                response.appendEncodedFields(varyOrigin)
                return
            }
            if Self.isPreflight(request) { return }
            response.addHeader("Access-Control-Allow-Origin", value)
            response.appendEncodedFields(sharedFields)
        }
    }
}
