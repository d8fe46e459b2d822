import MiniHTTPCore
/// The fixed-type requirements of `SingleValueDecodingContainer`, all read as ``decodeValue(_:)`` reads them.
extension URLEncodedFormValueDecoder {
    func decode(_ type: Bool.Type) throws -> Bool { try decodeValue(type) }
    func decode(_ type: String.Type) throws -> String { try decodeValue(type) }
    func decode(_ type: Double.Type) throws -> Double { try decodeValue(type) }
    func decode(_ type: Float.Type) throws -> Float { try decodeValue(type) }
    func decode(_ type: Int.Type) throws -> Int { try decodeValue(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeValue(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeValue(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeValue(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeValue(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeValue(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeValue(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeValue(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeValue(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeValue(type) }
}

/// The fields of one object in a form (`a[b]=…&a[c]=…` for `a`).
struct URLEncodedFormKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: [String: URLEncodedFormNode]
    let decoder: URLEncodedFormValueDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { fields.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { fields[key.stringValue] != nil }

    /// A missing key is nil (so an `Optional` field decodes as nil); a present one never is.
    func decodeNil(forKey key: Key) throws -> Bool { fields[key.stringValue] == nil }

    func decoder(for key: some CodingKey) -> URLEncodedFormValueDecoder {
        decoder.child(fields[key.stringValue], key: key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder(for: key).decodeValue(type) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder(for: key).decodeValue(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder(for: key).decodeValue(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder(for: key).decodeValue(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder(for: key).decodeValue(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder(for: key).decodeValue(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder(for: key).decodeValue(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder(for: key).decodeValue(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder(for: key).decodeValue(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder(for: key).decodeValue(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder(for: key).decodeValue(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder(for: key).decodeValue(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder(for: key).decodeValue(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder(for: key).decodeValue(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder(for: key).decodeValue(type) }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder(for: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder(for: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder(for: URLEncodedFormKey.super) }

    func superDecoder(forKey key: Key) throws -> any Decoder { decoder(for: key) }
}

/// The elements of one list in a form, in order.
struct URLEncodedFormUnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [URLEncodedFormNode]
    let decoder: URLEncodedFormValueDecoder
    private(set) var currentIndex = 0

    init(elements: [URLEncodedFormNode], decoder: URLEncodedFormValueDecoder) {
        self.elements = elements
        self.decoder = decoder
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The decoder for the next element, moving past it; past the end, `valueNotFound`.
    mutating func next(_ type: Any.Type) throws -> URLEncodedFormValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, DecodingError.Context(
                codingPath: codingPath + [URLEncodedFormKey(index: currentIndex)],
                debugDescription: "Unkeyed container is at end."))
        }
        defer { currentIndex += 1 }
        return decoder.child(elements[currentIndex], key: URLEncodedFormKey(index: currentIndex))
    }

    /// Form elements are never null; past the end there is nothing to test.
    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any?.self, DecodingError.Context(
                codingPath: codingPath, debugDescription: "Unkeyed container is at end."))
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type).decodeValue(type) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type).decodeValue(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type).decodeValue(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type).decodeValue(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type).decodeValue(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type).decodeValue(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type).decodeValue(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type).decodeValue(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type).decodeValue(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type).decodeValue(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type).decodeValue(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type).decodeValue(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type).decodeValue(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type).decodeValue(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type).decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next(Any.self) }
}
