import MiniHTTP
import Testing

private func failure<T: Decodable>(
    _ type: T.Type, _ form: String, decoder: URLEncodedFormDecoder = URLEncodedFormDecoder()
) -> String? {
    do {
        _ = try decoder.decode(type, from: form)
        return nil
    } catch let error as DecodingError {
        guard case .dataCorrupted = error else { return "not dataCorrupted: \(error)" }
        return error.clientMessage
    } catch {
        return "not a DecodingError: \(error)"
    }
}

private func pairs(_ count: Int) -> String {
    (0..<count).map { "k\($0)=v" }.joined(separator: "&")
}

private func key(depth: Int) -> String {
    "a" + String(repeating: "[b]", count: depth - 1)
}

@Suite("Codable: URL-encoded form limits and malformed input")
struct CodableFormLimitsTests {
    @Test("an invalid percent-escape or bytes that are not UTF-8 are errors", arguments: [
        ("a=%zz", "a: invalid percent-escape in '%zz'"),
        ("a=1%4", "a: invalid percent-escape in '1%4'"),
        ("a=%", "a: invalid percent-escape in '%'"),
        ("a%=1", "invalid percent-escape in 'a%'"),
        ("a=%ff", "a: a key or value is not valid UTF-8 once percent-decoded"),
        ("a=%C3", "a: a key or value is not valid UTF-8 once percent-decoded"),
    ])
    func badEscapes(form: String, message: String) {
        #expect(failure([String: String].self, form) == message)
    }

    @Test("an escaped bracket is a bracket: browsers send a%5Bb%5D for a[b]")
    func escapedBrackets() throws {
        #expect(try URLEncodedFormDecoder().decode([String: [String: Int]].self, from: "a%5Bb%5D=1") == ["a": ["b": 1]])
    }

    @Test("malformed keys are errors", arguments: [
        "[a]=1", "=1", "a[b=1", "a]=1&a[=2", "a[b]c=1", "a[][b]=1", "a[[b]]=1", "a[]x=1",
    ])
    func malformedKeys(form: String) {
        let message = failure([String: [String: String]].self, form)
        #expect(message?.hasPrefix("malformed key '") == true, "\(String(describing: message))")
    }

    @Test("a key holding a value, a list and named fields at once is an error naming it", arguments: [
        ("a=1&a[b]=2", "a: 'a[b]' mixes a single value, a list and named fields under one key"),
        ("a[b]=1&a=2", "a: 'a' mixes a single value, a list and named fields under one key"),
        ("a[0]=1&a[b]=2", "a: 'a[b]' mixes a single value, a list and named fields under one key"),
        ("a[x][0]=1&a[x][]=2", "a.x: 'a[x][]' mixes a single value, a list and named fields under one key"),
    ])
    func conflicts(form: String, message: String) {
        #expect(failure([String: [String: [String]]].self, form) == message)
    }

    @Test("at most maxFields pairs: one more fails before it is read")
    func fieldLimit() throws {
        let limit = URLEncodedFormDecoder.defaultMaxFields
        #expect(limit == 1000)
        #expect(try URLEncodedFormDecoder().decode([String: String].self, from: pairs(limit)).count == limit)
        #expect(failure([String: String].self, pairs(limit + 1)) == "the form has more than 1000 fields")
        #expect(failure([String: String].self, pairs(limit) + "&&&") == nil)
        let small = URLEncodedFormDecoder(maxFields: 2)
        #expect(failure([String: String].self, "a=1&b=2&c=3", decoder: small) == "the form has more than 2 fields")
    }

    @Test("keys at most maxDepth components deep")
    func depthLimit() throws {
        #expect(URLEncodedFormDecoder.defaultMaxDepth == 32)
        let decoder = URLEncodedFormDecoder(maxDepth: 3)
        #expect(failure([String: [String: [String: String]]].self, "\(key(depth: 3))=1", decoder: decoder) == nil)
        #expect(failure([String: [String: [String: String]]].self, "\(key(depth: 4))=1", decoder: decoder)
            == "key 'a[b][b][b]' is nested deeper than 3 levels")
        let deep = failure([String: String].self, "\(key(depth: 10_000))=1")
        #expect(deep?.hasSuffix("is nested deeper than 32 levels") == true)
    }

    @Test("list indices must be below maxFields and leave no gaps")
    func indices() {
        #expect(failure([String: [String]].self, "a[999999999]=1") == "a: array index 999999999 is too large")
        #expect(failure([String: [String]].self, "a[99999999999999999999]=1")
            == "a: array index 99999999999999999999 is too large")
        #expect(failure([String: [String]].self, "a[1000]=1") == "a: array index 1000 is too large")
        #expect(failure([String: [String]].self, "a[0]=1&a[2]=3") == "a: the list has no element 1")
    }

    @Test("quoted input in a message is cut short and loses its control characters")
    func quotedInputIsBounded() {
        let long = String(repeating: "x", count: 100)
        let message = failure([String: String].self, "a=\(long)%zz")
        #expect(message == "a: invalid percent-escape in '\(String(repeating: "x", count: 40))…'")
        #expect(failure([String: String].self, "a=%0A%zz") == "a: invalid percent-escape in '%0A%zz'")
        #expect(failure([String: String].self, "%0A[=1") == "malformed key '?['")
    }
}
