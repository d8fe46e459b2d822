/// A header field of a response. Names are tokens; values must not contain CR, LF or NUL — a response
/// carrying such a field is refused and answered 500 instead, never written.
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
