import Foundation
import MiniHTTP
import Testing

private struct Address: Decodable, Equatable {
    var city: String
    var zip: String?
}

private struct Signup: Decodable, Equatable {
    var name: String
    var age: Int
    var newsletter: Bool
    var score: Double
    var nickname: String?
    var tags: [String]
    var address: Address
}

private struct Tagged: Decodable, Equatable { var tags: [String] }
private struct Item: Decodable, Equatable { var name: String; var qty: Int? }
private struct Order: Decodable, Equatable { var items: [Item] }
private struct Flag: Decodable { var on: Bool }
private struct One<Value: Decodable>: Decodable { var n: Value }
private struct When: Decodable { var at: Date }

private class Base: Decodable {
    let id: Int
    private enum Keys: CodingKey { case id }
    required init(from decoder: any Decoder) throws {
        id = try decoder.container(keyedBy: Keys.self).decode(Int.self, forKey: .id)
    }
}

private final class Derived: Base {
    let name: String
    private enum Keys: CodingKey { case name }
    required init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        name = try container.decode(String.self, forKey: .name)
        try super.init(from: container.superDecoder())
    }
}

private struct Scaled: Decodable {
    static let factor = CodingUserInfoKey(rawValue: "factor")!
    let value: Int
    init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(Int.self)
        value = raw * (decoder.userInfo[Self.factor] as? Int ?? 1)
    }
}

private func decode<T: Decodable>(
    _ type: T.Type, _ form: String, decoder: URLEncodedFormDecoder = URLEncodedFormDecoder()
) throws -> T {
    try decoder.decode(type, from: form)
}

/// The message a failed decode gives, or nil if it did not fail with a `DecodingError`.
private func failure<T: Decodable>(
    _ type: T.Type, _ form: String, decoder: URLEncodedFormDecoder = URLEncodedFormDecoder()
) -> String? {
    do {
        _ = try decoder.decode(type, from: form)
        return nil
    } catch let error as DecodingError {
        return error.clientMessage
    } catch {
        return "not a DecodingError: \(error)"
    }
}

@Suite("Codable: URL-encoded form decoding")
struct CodableFormDecoderTests {
    @Test("decodes flat, nested, optional and list fields, with + and percent-escapes")
    func decodesAForm() throws {
        let form = "name=J%C3%B6rg+M%C3%BCller&age=42&newsletter=on&score=-1.5e2&tags[]=a&tags[]=b%26c"
            + "&address[city]=Oslo"
        let signup = try decode(Signup.self, form)
        #expect(signup == Signup(
            name: "Jörg Müller", age: 42, newsletter: true, score: -150, nickname: nil, tags: ["a", "b&c"],
            address: Address(city: "Oslo", zip: nil)))
    }

    @Test("reads the same form from bytes as from a string")
    func bytesAndString() throws {
        let form = "address[city]=Oslo&address[zip]=0150"
        let fromBytes = try URLEncodedFormDecoder().decode([String: Address].self, from: Array(form.utf8))
        #expect(fromBytes == ["address": Address(city: "Oslo", zip: "0150")])
        #expect(try decode([String: Address].self, form) == fromBytes)
    }

    @Test("lists come as a[]=, repeated a=, or numbered a[n]= in any order", arguments: [
        ("tags[]=x&tags[]=y", ["x", "y"]),
        ("tags=x&tags=y", ["x", "y"]),
        ("tags[1]=y&tags[0]=x", ["x", "y"]),
        ("tags=x", ["x"]),
        ("other=1", []),
        ("", []),
    ])
    func lists(form: String, expected: [String]) throws {
        #expect(try decode(Tagged.self, form).tags == expected)
    }

    @Test("decodes a list of objects from numbered keys")
    func listOfObjects() throws {
        let order = try decode(Order.self, "items[1][name]=pear&items[0][name]=apple&items[0][qty]=3")
        #expect(order.items == [Item(name: "apple", qty: 3), Item(name: "pear", qty: nil)])
    }

    @Test("decodes a list of lists")
    func listOfLists() throws {
        #expect(try decode([String: [[Int]]].self, "m[0][]=1&m[0][]=2&m[1][]=3") == ["m": [[1, 2], [3]]])
    }

    @Test("skips empty pairs and reads a pair without = as an empty value")
    func emptyPairs() throws {
        #expect(try decode([String: String].self, "&&a=1&&b&c=&") == ["a": "1", "b": "", "c": ""])
    }

    @Test("reads booleans as checkboxes and people write them", arguments: [
        ("true", true), ("on", true), ("1", true), ("TRUE", true), ("false", false), ("off", false), ("0", false),
    ])
    func booleans(text: String, expected: Bool) throws {
        #expect(try decode(Flag.self, "on=\(text)").on == expected)
    }

    @Test("reads every integer width at its limits")
    func integerLimits() throws {
        #expect(try decode(One<Int8>.self, "n=-128").n == .min)
        #expect(try decode(One<UInt8>.self, "n=255").n == .max)
        #expect(try decode(One<Int16>.self, "n=%2B32767").n == .max)
        #expect(try decode(One<UInt16>.self, "n=65535").n == .max)
        #expect(try decode(One<Int32>.self, "n=-2147483648").n == .min)
        #expect(try decode(One<UInt32>.self, "n=4294967295").n == .max)
        #expect(try decode(One<Int64>.self, "n=9223372036854775807").n == .max)
        #expect(try decode(One<UInt64>.self, "n=18446744073709551615").n == .max)
        #expect(try decode(One<Int>.self, "n=-9223372036854775808").n == .min)
        #expect(try decode(One<UInt>.self, "n=0").n == 0)
    }

    @Test("a number that does not fit is out of range, not a type mismatch")
    func overflow() {
        #expect(failure(One<Int8>.self, "n=128") == "n: 128 is out of range for Int8")
        #expect(failure(One<Int8>.self, "n=-129") == "n: -129 is out of range for Int8")
        #expect(failure(One<UInt8>.self, "n=-1") == "n: -1 is out of range for UInt8")
        #expect(failure(One<UInt64>.self, "n=18446744073709551616")
            == "n: 18446744073709551616 is out of range for UInt64")
        #expect(failure(One<Float>.self, "n=1e39") == "n: 1e39 is out of range for Float")
        #expect(failure(One<Double>.self, "n=1e999") == "n: 1e999 is out of range for Double")
    }

    @Test("text that is not the type asked for is a type mismatch naming what was found", arguments: [
        ("n=abc", "n: expected Int, found \"abc\""),
        ("n=", "n: expected Int, found \"\""),
        ("n=1.5", "n: expected Int, found \"1.5\""),
        ("n=%2B", "n: expected Int, found \"+\""),
        ("n=1&n=2", "n: expected Int, found 2 values"),
        ("n[a]=1", "n: expected Int, found an object"),
        ("n[0]=1", "n: expected Int, found a list"),
    ])
    func mismatches(form: String, message: String) {
        #expect(failure(One<Int>.self, form) == message)
    }

    @Test("floating point accepts decimal notation only", arguments: ["nan", "inf", "0x10", "1.2.3", "1,5", "e"])
    func floatingPointRejects(text: String) {
        #expect(failure(One<Double>.self, "n=\(text)") == "n: expected Double, found \"\(text)\"")
    }

    @Test("decodes Decimal exactly")
    func decimal() throws {
        #expect(try decode(One<Decimal>.self, "n=0.1").n == Decimal(string: "0.1"))
        #expect(failure(One<Decimal>.self, "n=0.1.2") == "n: expected Decimal, found \"0.1.2\"")
    }

    @Test("a missing key is nil for an Optional and keyNotFound otherwise, with its full path")
    func missingKeys() throws {
        #expect(failure(Signup.self, "age=1") == "missing key 'name'")
        #expect(failure(Order.self, "items[0][qty]=1") == "missing key 'items[0].name'")
        let error = #expect(throws: DecodingError.self) { try decode(Signup.self, "age=1") }
        guard case .keyNotFound(let key, let context)? = error else {
            Issue.record("expected keyNotFound, got \(String(describing: error))")
            return
        }
        #expect(key.stringValue == "name" && context.codingPath.isEmpty)
    }

    @Test("errors carry the coding path of the failing field")
    func codingPath() {
        let error = #expect(throws: DecodingError.self) {
            try decode(Order.self, "items[0][name]=a&items[1][name]=b&items[1][qty]=x")
        }
        guard case .typeMismatch(_, let context)? = error else {
            Issue.record("expected typeMismatch, got \(String(describing: error))")
            return
        }
        #expect(context.codingPath.map(\.stringValue) == ["items", "1", "qty"])
        #expect(context.codingPath.map(\.intValue) == [nil, 1, nil])
        #expect(error?.clientMessage == "items[1].qty: expected Int, found \"x\"")
    }

    @Test("a subclass reads its superclass's fields below the key super")
    func superDecoder() throws {
        let derived = try decode(Derived.self, "name=x&super[id]=3")
        #expect(derived.name == "x" && derived.id == 3)
    }

    @Test("hands userInfo to the decoded types")
    func userInfo() throws {
        let decoder = URLEncodedFormDecoder(userInfo: [Scaled.factor: 10])
        #expect(try decode([String: Scaled].self, "n=4", decoder: decoder)["n"]?.value == 40)
    }

    @Test("dates are ISO 8601 by default, with fractional seconds or as a date alone")
    func iso8601Dates() throws {
        #expect(try decode(When.self, "at=2024-05-01T12:30:00Z").at == Date(timeIntervalSince1970: 1_714_566_600))
        #expect(try decode(When.self, "at=2024-05-01T12:30:00.250Z").at
            == Date(timeIntervalSince1970: 1_714_566_600.25))
        #expect(try decode(When.self, "at=2024-05-01").at == Date(timeIntervalSince1970: 1_714_521_600))
        #expect(failure(When.self, "at=yesterday") == "at: \"yesterday\" is not an ISO 8601 date")
    }

    @Test("the date strategy is configurable")
    func dateStrategies() throws {
        let seconds = URLEncodedFormDecoder(dateDecodingStrategy: .secondsSince1970)
        #expect(try decode(When.self, "at=86400", decoder: seconds).at == Date(timeIntervalSince1970: 86_400))
        let millis = URLEncodedFormDecoder(dateDecodingStrategy: .millisecondsSince1970)
        #expect(try decode(When.self, "at=1500", decoder: millis).at == Date(timeIntervalSince1970: 1.5))
        let deferred = URLEncodedFormDecoder(dateDecodingStrategy: .deferredToDate)
        #expect(try decode(When.self, "at=10", decoder: deferred).at == Date(timeIntervalSinceReferenceDate: 10))
        let custom = URLEncodedFormDecoder(dateDecodingStrategy: .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return Date(timeIntervalSince1970: text == "epoch" ? 0 : 1)
        })
        #expect(try decode(When.self, "at=epoch", decoder: custom).at == Date(timeIntervalSince1970: 0))
    }
}
