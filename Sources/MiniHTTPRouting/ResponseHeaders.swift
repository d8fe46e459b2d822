import MiniHTTPCore

/// A response's header fields, in the order they are written, editable by name without regard to case:
///
/// ```swift
/// var response = Response.json(page)
/// response.headers["X-Total-Count"] = "42"        // sets (replacing any field of that name)
/// response.headers.append(name: "Link", value: "</todos?offset=20>; rel=\"next\"")
/// response.headers["X-Debug"] = nil               // removes
/// ```
///
/// Each field goes out once: `Content-Type` set here becomes the response's ``Response/contentType``;
/// `Date` and `Server` are the server's (a value set here is dropped); `Connection` is the server's too,
/// but `Connection: close` is honoured by closing after the response; a response that sets
/// `Content-Length` or `Transfer-Encoding` is refused (500: the server frames bodies itself).
public struct ResponseHeaders: Sendable, Equatable, Sequence, ExpressibleByArrayLiteral {
    package var fields: [HTTPField]

    public init() { fields = [] }

    public init(_ fields: [HTTPField]) { self.fields = fields }

    public init(arrayLiteral fields: HTTPField...) { self.fields = fields }

    /// The value of the first field called `name` (any case), or nil. Setting replaces every field of
    /// that name with one (at the first one's place, else at the end); setting nil removes them.
    public subscript(name: String) -> String? {
        get { fields.first { Self.matches($0.name, name) }?.value }
        set {
            guard let newValue else {
                removeAll(named: name)
                return
            }
            if let first = fields.firstIndex(where: { Self.matches($0.name, name) }) {
                fields[first].value = newValue
                var index = fields.count - 1
                while index > first {
                    if Self.matches(fields[index].name, name) { fields.remove(at: index) }
                    index -= 1
                }
            } else {
                fields.append(HTTPField(name: name, value: newValue))
            }
        }
    }

    /// The values of every field called `name` (any case), in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.matches($0.name, name) }.map(\.value)
    }

    /// Whether a field called `name` (any case) is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.matches($0.name, name) }
    }

    /// Adds a field after the others, keeping any of the same name (`Set-Cookie`, `Link`, `Vary`).
    public mutating func append(_ field: HTTPField) { fields.append(field) }

    /// Adds a field after the others, keeping any of the same name.
    public mutating func append(name: String, value: String) { fields.append(HTTPField(name: name, value: value)) }

    /// Adds these fields after the others.
    public mutating func append(contentsOf other: ResponseHeaders) { fields.append(contentsOf: other.fields) }

    /// Removes every field called `name` (any case).
    public mutating func removeAll(named name: String) { fields.removeAll { Self.matches($0.name, name) } }

    /// Removes the fields that satisfy `shouldBeRemoved`.
    public mutating func removeAll(where shouldBeRemoved: (HTTPField) throws -> Bool) rethrows {
        try fields.removeAll(where: shouldBeRemoved)
    }

    /// The number of fields.
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }

    private static func matches(_ fieldName: String, _ name: String) -> Bool {
        fieldName.utf8.count == name.utf8.count && ASCII.equalsIgnoringCase(fieldName.utf8, name.utf8)
    }
}
