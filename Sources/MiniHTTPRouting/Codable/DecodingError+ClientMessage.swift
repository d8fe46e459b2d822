import MiniHTTPCore
extension DecodingError {
    /// One line for a 400 answer that names the failing field by its key path, such as
    /// `todo.tags[1]: expected Int, found "x"`, `missing key 'todo.title'` or `body is not valid JSON`.
    ///
    /// It reads errors from `JSONDecoder` and ``URLEncodedFormDecoder`` alike. For `dataCorrupted` the error's
    /// debug description is shown (decoders describe the input there, and a type's own `init(from:)` should
    /// too), cut to 200 characters with control characters replaced; an underlying error is never shown.
    public var clientMessage: String {
        switch self {
        case .typeMismatch(let type, let context):
            let found = Self.found(in: context.debugDescription).map { ", found \($0)" } ?? ""
            return Self.located(context.codingPath, "expected \(Self.name(of: type))\(found)")
        case .valueNotFound(let type, let context):
            let found = context.debugDescription.contains("at end") ? "the end of the list" : "null"
            return Self.located(context.codingPath, "expected \(Self.name(of: type)), found \(found)")
        case .keyNotFound(let key, let context):
            return "missing key '\(Self.keyPath(context.codingPath + [key]))'"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, context.debugDescription.contains("not valid JSON") {
                return "body is not valid JSON"
            }
            return Self.located(context.codingPath, Self.sanitized(context.debugDescription))
        @unknown default:
            return "the request body could not be decoded"
        }
    }

    /// `todo.tags[1]`: names joined by dots, positions in brackets.
    static func keyPath(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            // Decoders name a list position `Index 3` (JSONDecoder) or `3` (ours): both show as `[3]`.
            if let index = key.intValue, key.stringValue == "Index \(index)" || key.stringValue == "\(index)" {
                out += "[\(index)]"
            } else {
                if !out.isEmpty { out += "." }
                out += key.stringValue
            }
        }
        return out
    }

    static func located(_ path: [any CodingKey], _ text: String) -> String {
        path.isEmpty ? text : "\(keyPath(path)): \(text)"
    }

    /// `Int` for `Int`, `a list` and `an object` for Swift's collection types, `Int` for `Optional<Int>`.
    static func name(of type: Any.Type) -> String {
        var name = String(describing: type)
        while name.hasPrefix("Optional<"), name.hasSuffix(">") {
            name = String(name.dropFirst("Optional<".count).dropLast())
        }
        if name.hasPrefix("Array<") || name.hasPrefix("Set<") || name.hasPrefix("[") && !name.contains(":") {
            return "a list"
        }
        if name.hasPrefix("Dictionary<") || name.hasPrefix("[") || name.hasPrefix("KeyedDecodingContainer<") {
            return "an object"
        }
        return name
    }

    /// What `Expected to decode Int but found a string instead.` says was found: `a string`.
    static func found(in description: String) -> String? {
        guard let start = description.firstRange(of: "but found "),
              let end = description.ranges(of: " instead").last,
              start.upperBound <= end.lowerBound
        else { return nil }
        return sanitized(String(description[start.upperBound..<end.lowerBound]))
    }

    static func sanitized(_ text: String) -> String {
        let clipped = text.count > 200 ? String(text.prefix(200)) + "…" : text
        return String(clipped.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
