import MiniHTTPCore
/// A coding key of a form: a field name, or an element's position (`stringValue` is then its number, and
/// ``DecodingError/clientMessage`` shows it as `[n]`).
struct URLEncodedFormKey: CodingKey, Sendable {
    let stringValue: String
    let intValue: Int?

    init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    init(index: Int) {
        stringValue = String(index)
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) { self.init(index: intValue) }

    static let `super` = URLEncodedFormKey("super")
}
