import MiniHTTP

/// A response's header fields as received, in order, with a case-insensitive lookup by name:
/// `response.headers["content-type"]`.
public struct TestHeaders: RandomAccessCollection, Sendable, CustomStringConvertible {
    /// The fields in the order the server wrote them, names as written.
    public let fields: [HTTPField]

    /// Headers of these fields, in this order.
    public init(_ fields: [HTTPField]) {
        self.fields = fields
    }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> HTTPField { fields[position] }

    /// The value of the first field named `name` (compared without regard to case), or nil.
    public subscript(name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    /// Every value of the fields named `name`, in order (`Set-Cookie`, `Vary` …).
    public func values(_ name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// How many fields are named `name`.
    public func count(of name: String) -> Int {
        fields.lazy.filter { Self.sameName($0.name, name) }.count
    }

    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// Field names are ASCII tokens: compared byte by byte, letters folded.
    static func sameName(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        return zip(a.utf8, b.utf8).allSatisfy { lowercase($0) == lowercase($1) }
    }

    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }
}

/// The header fields of a request a test sends, in order. Written as a dictionary literal
/// (`["Authorization": "Bearer k"]`, duplicates allowed, order kept) or an array of ``HTTPField``.
public struct TestRequestHeaders: Sendable, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    /// The fields, in the order they are sent.
    public var fields: [HTTPField]

    /// These fields, in this order.
    public init(_ fields: [HTTPField]) {
        self.fields = fields
    }

    /// The fields of a dictionary, sorted by name (a dictionary has no order of its own).
    public init(_ dictionary: [String: String]) {
        fields = dictionary.sorted { $0.key < $1.key }.map { HTTPField(name: $0.key, value: $0.value) }
    }

    /// `["Authorization": "Bearer k", "Accept": "application/json"]`, in the order written.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }

    /// `[HTTPField(name: "Accept", value: "text/plain")]`.
    public init(arrayLiteral elements: HTTPField...) {
        fields = elements
    }

    func contains(_ name: String) -> Bool {
        fields.contains { TestHeaders.sameName($0.name, name) }
    }
}
