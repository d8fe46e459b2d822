import MiniHTTPCore
/// Reads `application/x-www-form-urlencoded` bytes (a body, or a query string without its `?`) into a
/// ``URLEncodedFormNode`` tree.
///
/// The grammar is WHATWG URL's form parser (pairs split on `&`, empty pairs skipped, a pair without `=` has
/// an empty value, `+` is a space), made strict where it is lenient: an invalid percent-escape or bytes that
/// are not UTF-8 are errors, not kept as they are. Hostile input costs little: parsing stops at the first
/// pair beyond `maxFields`, at the first key component beyond `maxDepth`, and array indices must be below
/// `maxFields` (a form of `maxFields` pairs cannot fill more), so `a[999999999]=1` allocates nothing.
/// Errors are `DecodingError.dataCorrupted` whose coding path is as much of the key as was understood.
struct URLEncodedFormParser {
    let maxFields: Int
    let maxDepth: Int

    func parse<Bytes: Collection<UInt8>>(_ input: Bytes) throws -> URLEncodedFormNode {
        let bytes = Array(input)
        var root = URLEncodedFormNode.object([:])
        var fields = 0
        var start = 0
        // One pair at a time (not `split`, which would cut the whole input before the limit is checked).
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: Self.ampersand) ?? bytes.count
            let pair = bytes[start..<end]
            start = end + 1
            if pair.isEmpty { continue }
            fields += 1
            guard fields <= maxFields else {
                throw Self.corrupted([], "the form has more than \(maxFields) fields")
            }
            let equals = pair.firstIndex(of: Self.equals) ?? pair.endIndex
            let key = try Self.percentDecoded(pair[pair.startIndex..<equals], path: [])
            let path = try components(of: key)
            // Coding paths are built only for an error: each key is a boxed existential.
            let value = try Self.percentDecoded(pair[min(equals + 1, pair.endIndex)...], path: path)
            do {
                try root.insert(value, at: path[...])
            } catch {
                throw Self.corrupted(
                    Array(Self.codingPath(path).prefix(error.depth)),
                    "'\(Self.quoted(key))' mixes a single value, a list and named fields under one key")
            }
        }
        return root
    }

    /// `a[b][0][]` as `name(a), name(b), index(0), append`.
    func components(of key: String) throws -> [URLEncodedFormNode.Component] {
        let malformed = { Self.corrupted([], "malformed key '\(Self.quoted(key))'") }
        let bytes = key.utf8
        guard let open = bytes.firstIndex(of: Self.openBracket) else {
            guard !key.isEmpty else { throw malformed() }
            return [.name(key)]
        }
        guard open > bytes.startIndex else { throw malformed() }
        var result: [URLEncodedFormNode.Component] = [.name(String(key[..<open]))]
        var rest = bytes[open...]
        while let first = rest.first {
            guard result.count < maxDepth else {
                throw Self.corrupted([], "key '\(Self.quoted(key))' is nested deeper than \(maxDepth) levels")
            }
            guard first == Self.openBracket, let close = rest.firstIndex(of: Self.closeBracket) else {
                throw malformed()
            }
            let inner = rest[rest.index(after: rest.startIndex)..<close]
            guard !inner.contains(Self.openBracket), result.last != .append else { throw malformed() }
            if inner.isEmpty {
                result.append(.append)
            } else if inner.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                let digits = String(key[inner.startIndex..<inner.endIndex])
                guard inner.count <= 9, let index = Int(digits), index < maxFields else {
                    throw Self.corrupted(Self.codingPath(result), "array index \(Self.quoted(digits)) is too large")
                }
                result.append(.index(index))
            } else {
                result.append(.name(String(key[inner.startIndex..<inner.endIndex])))
            }
            rest = rest[bytes.index(after: close)...]
        }
        return result
    }

    /// The coding path a key's components stand for, as the decoder will report it.
    static func codingPath(_ components: [URLEncodedFormNode.Component]) -> [any CodingKey] {
        components.compactMap { component in
            switch component {
            case .name(let name): URLEncodedFormKey(name)
            case .index(let index): URLEncodedFormKey(index: index)
            case .append: nil
            }
        }
    }

    /// `+` as space, `%XX` as that byte; the result must be UTF-8.
    static func percentDecoded(_ bytes: ArraySlice<UInt8>, path: [URLEncodedFormNode.Component]) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == percent {
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]),
                      let low = hexValue(bytes[index + 2])
                else {
                    let raw = String(decoding: bytes, as: UTF8.self)
                    throw corrupted(codingPath(path), "invalid percent-escape in '\(quoted(raw))'")
                }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte == plus ? space : byte)
                index += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw corrupted(codingPath(path), "a key or value is not valid UTF-8 once percent-decoded")
        }
        return text
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Input quoted in an error message: at most 40 characters, control characters replaced, so a hostile
    /// form cannot make the answer large or break its lines.
    static func quoted(_ text: some StringProtocol) -> String {
        let clipped = text.count > 40 ? String(text.prefix(40)) + "…" : String(text)
        return String(clipped.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }

    static func corrupted(_ path: [any CodingKey], _ description: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: path, debugDescription: description))
    }

    static let ampersand: UInt8 = 0x26
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let equals: UInt8 = 0x3D
    static let percent: UInt8 = 0x25
    static let plus: UInt8 = 0x2B
    static let space: UInt8 = 0x20
}
