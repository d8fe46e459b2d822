/// The four forms of request target (RFC 9112 §3.2), told apart and split into path and query.
extension RequestParser {
    /// Splits the target into path and query: origin-form, absolute-form (RFC 9112 §3.2.2, the authority
    /// then stands in for Host), authority-form for CONNECT, asterisk-form for OPTIONS.
    package static func parseTarget(
        _ bytes: UnsafeRawBufferPointer, _ target: Range<Int>, method: HTTPMethod, into head: inout RequestHead
    ) -> HTTPParseError? {
        let first = bytes[target.lowerBound]
        var pathStart = target.lowerBound
        if method == .connect {
            head.targetForm = .authority
            head.path = target.lowerBound..<target.lowerBound
            return nil
        }
        if first == ASCII.asterisk {
            guard target.count == 1, method == .options else { return .invalidTarget }
            head.targetForm = .asterisk
            head.path = target.lowerBound..<target.lowerBound
            return nil
        }
        if first != ASCII.slash {
            head.targetForm = .absolute
            guard let authorityStart = schemeEnd(bytes, target) else { return .invalidTarget }
            var index = authorityStart
            while index < target.upperBound, bytes[index] != ASCII.slash, bytes[index] != ASCII.questionMark {
                index += 1
            }
            let authority = authorityStart..<index
            guard !authority.isEmpty, HostValidator.isValid(bytes, authority) else { return .invalidTarget }
            head.host = authority
            pathStart = index
        }
        let queryMark = bytes.firstIndex(of: ASCII.questionMark, in: pathStart..<target.upperBound)
        head.path = pathStart..<(queryMark ?? target.upperBound)
        if let queryMark { head.query = (queryMark + 1)..<target.upperBound }
        return nil
    }

    /// For `http://` or `https://` (any case) returns where the authority starts.
    private static func schemeEnd(_ bytes: UnsafeRawBufferPointer, _ target: Range<Int>) -> Int? {
        if bytes.equalsIgnoringCase(target.lowerBound..<min(target.lowerBound + 7, target.upperBound), "http://") {
            return target.lowerBound + 7
        }
        if bytes.equalsIgnoringCase(target.lowerBound..<min(target.lowerBound + 8, target.upperBound), "https://") {
            return target.lowerBound + 8
        }
        return nil
    }
}
