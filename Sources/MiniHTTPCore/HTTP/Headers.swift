/// A request's header fields: byte ranges into the request, compared without regard to ASCII case.
public struct Headers: Sendable, Sequence {
    @usableFromInline package let bytes: [UInt8]
    @usableFromInline package let base: Int
    @usableFromInline package let fields: [HeaderField]

    @inlinable  // made per request (`Request.headers`) in another module
    package init(bytes: [UInt8], base: Int, fields: [HeaderField]) {
        self.bytes = bytes
        self.base = base
        self.fields = fields
    }

    /// The value of the first field called `name` (any case), or nil.
    public subscript(name: String) -> String? {
        for field in fields where matches(field, name) { return value(of: field) }
        return nil
    }

    /// The values of every field called `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { matches($0, name) }.map(value(of:))
    }

    /// Whether a field called `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { matches($0, name) }
    }

    /// The number of field lines.
    public var count: Int { fields.count }

    public func makeIterator() -> some IteratorProtocol<(name: String, value: String)> {
        fields.lazy.map { field in
            (name: String(decoding: bytes[(field.name.lowerBound + base)..<(field.name.upperBound + base)],
                          as: UTF8.self),
             value: value(of: field))
        }.makeIterator()
    }

    /// The value of the first field called `name`, as a slice of the request's bytes (no copy).
    package func valueBytes(_ lowercaseName: StaticString) -> ArraySlice<UInt8>? {
        bytes.withUnsafeBytes { raw in
            for field in fields where raw.equalsIgnoringCase(shifted(field.name), lowercaseName) {
                return bytes[shifted(field.value)]
            }
            return nil
        }
    }

    /// Whether the value of any field called `name` satisfies `predicate` (a list field may be split over
    /// several lines, RFC 9110 §5.3); nil when there is no such field. Reads in place, allocates nothing.
    package func anyValue(_ lowercaseName: StaticString, where predicate: (ArraySlice<UInt8>) -> Bool) -> Bool? {
        var found: Bool?
        for field in fields {
            let isNamed = bytes.withUnsafeBytes { $0.equalsIgnoringCase(shifted(field.name), lowercaseName) }
            guard isNamed else { continue }
            if predicate(bytes[shifted(field.value)]) { return true }
            found = false
        }
        return found
    }

    private func shifted(_ range: Range<Int>) -> Range<Int> { (range.lowerBound + base)..<(range.upperBound + base) }

    private func value(of field: HeaderField) -> String {
        String(decoding: bytes[shifted(field.value)], as: UTF8.self)
    }

    private func matches(_ field: HeaderField, _ name: String) -> Bool {
        let range = shifted(field.name)
        return range.count == name.utf8.count && ASCII.equalsIgnoringCase(bytes[range], name.utf8)
    }
}
