#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MiniHTTPCore

/// The `Decoder` over one node of a parsed form (a value type: decoding a child makes a new one, so no
/// container stack can get out of step). A nil node is a key the form does not have.
struct URLEncodedFormValueDecoder: Decoder, SingleValueDecodingContainer {
    let node: URLEncodedFormNode?
    let codingPath: [any CodingKey]
    let options: URLEncodedFormDecoder

    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    func child(_ node: URLEncodedFormNode?, key: any CodingKey) -> URLEncodedFormValueDecoder {
        URLEncodedFormValueDecoder(node: node, codingPath: codingPath + [key], options: options)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch try present(type) {
        case .object(let fields):
            return KeyedDecodingContainer(URLEncodedFormKeyedContainer<Key>(fields: fields, decoder: self))
        case .indexed(let elements):
            // `a[0]=x` read as a dictionary or a type with numeric keys.
            let fields = Dictionary(uniqueKeysWithValues: elements.map { (String($0.key), $0.value) })
            return KeyedDecodingContainer(URLEncodedFormKeyedContainer<Key>(fields: fields, decoder: self))
        case .values(let list):
            throw mismatch(type, found: Self.describe(list))
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch node {
        case nil:
            // A list nobody filled in (no box of a group ticked) is sent as nothing at all.
            return URLEncodedFormUnkeyedContainer(elements: [], decoder: self)
        case .values(let list)?:
            return URLEncodedFormUnkeyedContainer(elements: list.map { .values([$0]) }, decoder: self)
        case .indexed(let elements)?:
            var list: [URLEncodedFormNode] = []
            list.reserveCapacity(elements.count)
            for index in 0..<elements.count {
                guard let element = elements[index] else {
                    throw DecodingError.dataCorrupted(DecodingError.Context(
                        codingPath: codingPath, debugDescription: "the list has no element \(index)"))
                }
                list.append(element)
            }
            return URLEncodedFormUnkeyedContainer(elements: list, decoder: self)
        case .object?:
            throw mismatch([Any].self, found: "an object")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: Single value

    func decodeNil() -> Bool { node == nil }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }

    /// Scalars from their text, dates by the strategy, anything else by its own `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Date.self {
            return try cast(decodeDate(), to: type)
        }
        if let scalar = type as? any URLEncodedFormScalar.Type {
            let text = try singleText(type)
            let value: any URLEncodedFormScalar
            do {
                value = try scalar.init(formText: text)
            } catch {
                switch error {
                case .wrongType:
                    throw mismatch(type, found: "\"\(URLEncodedFormParser.quoted(text))\"")
                case .outOfRange:
                    throw DecodingError.dataCorrupted(DecodingError.Context(
                        codingPath: codingPath,
                        debugDescription: "\(URLEncodedFormParser.quoted(text)) is out of range for \(type)"))
                }
            }
            return try cast(value, to: type)
        }
        return try T(from: self)
    }

    /// The one value at this node, or the error that says what is there instead.
    func singleText(_ type: Any.Type) throws -> String {
        switch try present(type) {
        case .values(let list) where list.count == 1: list[0]
        case .values(let list): throw mismatch(type, found: Self.describe(list))
        case .object: throw mismatch(type, found: "an object")
        case .indexed: throw mismatch(type, found: "a list")
        }
    }

    func decodeDate() throws -> Date {
        switch options.dateDecodingStrategy {
        case .iso8601:
            let text = try singleText(Date.self)
            if let date = Self.iso8601(text) { return date }
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath,
                debugDescription: "\"\(URLEncodedFormParser.quoted(text))\" is not an ISO 8601 date"))
        case .secondsSince1970:
            return Date(timeIntervalSince1970: try decodeValue(Double.self))
        case .millisecondsSince1970:
            return Date(timeIntervalSince1970: try decodeValue(Double.self) / 1000)
        case .deferredToDate:
            return try Date(from: self)
        case .custom(let read):
            return try read(self)
        }
    }

    static func iso8601(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day())
    }

    // MARK: Errors

    /// The node, or `keyNotFound` for the key that led here.
    func present(_ type: Any.Type) throws -> URLEncodedFormNode {
        if let node { return node }
        guard let key = codingPath.last else {
            throw DecodingError.valueNotFound(type, DecodingError.Context(codingPath: [], debugDescription: "no form"))
        }
        throw DecodingError.keyNotFound(key, DecodingError.Context(
            codingPath: codingPath.dropLast(), debugDescription: "No value for key '\(key.stringValue)'."))
    }

    /// Worded as JSONDecoder words it, so ``DecodingError/clientMessage`` reads both the same way.
    func mismatch(_ type: Any.Type, found: String) -> DecodingError {
        .typeMismatch(type, DecodingError.Context(
            codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(found) instead."))
    }

    static func describe(_ list: [String]) -> String {
        list.count == 1 ? "\"\(URLEncodedFormParser.quoted(list[0]))\"" : "\(list.count) values"
    }

    func cast<T>(_ value: Any, to type: T.Type) throws -> T {
        guard let typed = value as? T else { throw mismatch(type, found: "\(Swift.type(of: value))") }
        return typed
    }
}
