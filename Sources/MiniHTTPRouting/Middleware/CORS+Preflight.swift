import MiniHTTPCore

extension CORS {
    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`: a browser asking before the real request.
    static func isPreflight(_ request: Request) -> Bool {
        request.method == .options && request.headers.valueBytes("access-control-request-method") != nil
            && request.headers.valueBytes("origin") != nil
    }

    /// The value of `Access-Control-Allow-Origin` for `origin`, nil when it is not allowed.
    func allowedOriginValue(_ origin: ArraySlice<UInt8>) -> String? {
        switch origins {
        case .any:
            return "*"
        case .list:
            guard listed.contains(where: { $0.origin.elementsEqual(origin) }) else { return nil }
            return String(decoding: origin, as: UTF8.self)
        case .matching(let predicate):
            let value = String(decoding: origin, as: UTF8.self)
            return predicate(value) ? value : nil
        }
    }

    /// 204 with what the browser asked about (Fetch standard, CORS-preflight fetch).
    func preflightResponse(allowOrigin: String) -> Response {
        var fields = [HTTPField(name: "Access-Control-Allow-Origin", value: allowOrigin)]
        if allowCredentials { fields.append(HTTPField(name: "Access-Control-Allow-Credentials", value: "true")) }
        fields += preflightFields
        if case .any = origins {} else { fields.append(HTTPField(name: "Vary", value: "Origin")) }
        return Response(status: .noContent, headers: fields)
    }

    /// `scheme://host[:port]` in lowercase (as browsers serialize it), or nil for anything else.
    static func normalizedOrigin(_ origin: String) -> String? {
        let lowered = origin.lowercased()
        let bytes = Array(lowered.utf8)
        guard let colon = bytes.firstIndex(of: ASCII.colon), bytes[colon...].starts(with: "://".utf8) else { return nil }
        let scheme = bytes[..<colon]
        let authority = bytes[(colon + 3)...]
        guard !scheme.isEmpty, scheme.allSatisfy(ASCII.isTokenByte),
              !authority.isEmpty, authority.allSatisfy({ $0 > ASCII.space && $0 < 0x7F && $0 != ASCII.slash })
        else { return nil }
        return lowered
    }

    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(ASCII.isTokenByte)
    }
}
