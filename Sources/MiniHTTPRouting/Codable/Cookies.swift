import MiniHTTPCore
/// The cookies a request carries in its `Cookie` header field(s): `request.cookies["session"]`.
///
/// Parsed as RFC 6265 §5.4 has user agents send them (`a=b; c=d`, §4.2.1), leniently as servers should
/// read them: spaces and tabs around pairs and around `=` are ignored; several `Cookie` lines are read in
/// order; a value in double quotes is unquoted; when a name comes twice, the first wins (user agents send
/// the cookie with the longest path first, §5.4 step 2). A pair without `=`, with a name that is not a
/// token, or with a control character in its value is skipped, not an error. Values are not decoded:
/// a cookie's value is opaque to HTTP.
public struct Cookies: Sendable, Hashable, Sequence {
    /// The cookies in the order sent, names unique (the first of each name).
    public let pairs: [(name: String, value: String)]

    /// Cookies from the values of `Cookie` header fields, in order.
    /// - Parameter headerValues: Each `Cookie` field's value.
    public init(headerValues: some Sequence<String>) {
        var pairs: [(name: String, value: String)] = []
        var names = Set<String>()
        for line in headerValues {
            for piece in line.utf8.split(separator: 0x3B, omittingEmptySubsequences: true) {
                guard let (name, value) = Self.pair(piece), names.insert(name).inserted else { continue }
                pairs.append((name, value))
            }
        }
        self.pairs = pairs
    }

    /// Cookies from one `Cookie` header field's value.
    /// - Parameter headerValue: The field's value, such as `session=abc; theme=dark`.
    public init(headerValue: String) {
        self.init(headerValues: [headerValue])
    }

    /// Cookies from a request's header fields (every `Cookie` line).
    /// - Parameter headers: The request's header fields.
    public init(headers: Headers) {
        self.init(headerValues: headers.values(for: "Cookie"))
    }

    /// The value of the cookie called `name` (names are case-sensitive), or nil.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The number of cookies.
    public var count: Int { pairs.count }

    /// Whether there are none.
    public var isEmpty: Bool { pairs.isEmpty }

    /// The cookies as `(name, value)`, in the order sent.
    public func makeIterator() -> some IteratorProtocol<(name: String, value: String)> {
        pairs.makeIterator()
    }

    /// The same cookies in the same order.
    public static func == (lhs: Cookies, rhs: Cookies) -> Bool {
        lhs.pairs.elementsEqual(rhs.pairs) { $0.name == $1.name && $0.value == $1.value }
    }

    /// Hashes the names and values in order.
    public func hash(into hasher: inout Hasher) {
        for pair in pairs {
            hasher.combine(pair.name)
            hasher.combine(pair.value)
        }
    }

    /// One `name=value`, trimmed; nil when it is malformed.
    static func pair(_ piece: Substring.UTF8View.SubSequence) -> (String, String)? {
        guard let equals = piece.firstIndex(of: 0x3D) else { return nil }
        let name = trimmed(piece[..<equals])
        var value = trimmed(piece[piece.index(after: equals)...])
        guard !name.isEmpty, name.allSatisfy(CookieSyntax.isTokenByte),
              value.allSatisfy({ $0 >= 0x20 && $0 != 0x7F })
        else { return nil }
        if value.count >= 2, value.first == 0x22, value.last == 0x22 {
            value = value.dropFirst().dropLast()
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Without the spaces and tabs around it.
    static func trimmed(_ bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence {
        let isBlank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = bytes.firstIndex(where: { !isBlank($0) }),
              let last = bytes.lastIndex(where: { !isBlank($0) })
        else { return bytes[bytes.endIndex...] }
        return bytes[first...last]
    }
}

extension Request {
    /// The cookies the request carries (parsed on each access: keep the result if you read several).
    public var cookies: Cookies { Cookies(headers: headers) }
}
