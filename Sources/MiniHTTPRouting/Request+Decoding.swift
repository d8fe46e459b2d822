#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MiniHTTPCore

extension Request {
    /// The body decoded into `T` by its `Content-Type`: JSON (`application/json`, or any `…+json`) or a
    /// URL-encoded form (`application/x-www-form-urlencoded`).
    ///
    /// ```swift
    /// router.post("/todos") { request in
    ///     let todo = try request.decode(NewTodo.self)   // 415, 400 naming the key, as thrown errors
    ///     return .json(store.add(todo), status: .created)
    /// }
    /// ```
    ///
    /// Errors, which the server answers as it answers any thrown error: an ``HTTPError`` 415 for another
    /// media type, none, or a charset other than UTF-8; 400 for an empty body; a `DecodingError` (answered
    /// 400 with the failing key path, e.g. `tags[1]: expected Int, found "x"`) for input that does not fit
    /// `T`. A body over the limit never reaches the handler: the server answered 413. For a route that
    /// streams its body, collect it first (``RequestBodyStream/collect()``) and decode the bytes.
    /// - Parameters:
    ///   - json: The decoder for JSON bodies; nil for the route's ``JSONCoding`` (its group's or the
    ///     router's: ISO 8601 dates unless they say otherwise).
    ///   - form: The decoder for form bodies.
    public func decode<T: Decodable>(
        _ type: T.Type = T.self, json: JSONDecoder? = nil, form: URLEncodedFormDecoder = URLEncodedFormDecoder()
    ) throws -> T {
        let kind = BodyMediaType(headers["Content-Type"])
        switch kind {
        case .json, .form:
            guard !body.isEmpty else { throw HTTPError(.badRequest, message: "the body is empty") }
        case .unsupported:
            throw HTTPError(
                .unsupportedMediaType, message: "expected application/json or application/x-www-form-urlencoded")
        }
        if case .json = kind { return try (json ?? jsonCoding?.decoder ?? JSONCoding.default.decoder).decode(T.self, from: Data(body)) }
        return try form.decode(T.self, from: body)
    }

    /// The query string decoded into `T` with the form rules (`?limit=10&offset=20&tag[]=a`): a missing
    /// key is nil for an optional property; a value that does not fit is a `DecodingError`, answered 400
    /// naming the key.
    public func query<T: Decodable>(as type: T.Type = T.self, decoder: URLEncodedFormDecoder = URLEncodedFormDecoder())
        throws -> T
    {
        try decoder.decode(T.self, from: rawQuery ?? "")
    }

    /// The query parameter `name` converted to `T`: nil when absent; an ``HTTPError`` 400 naming it when
    /// its value is not a `T` (`?limit=ten` for an `Int`).
    public func query<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws -> T? {
        guard let text = query(name) else { return nil }
        guard let value = T(text) else {
            throw HTTPError(.badRequest, message: "\(name): expected \(T.self), found \"\(clientText(text))\"")
        }
        return value
    }
}

extension Parameters {
    /// The route parameter `name` converted to `T`; an ``HTTPError`` 400 naming it when its value is not
    /// a `T` (`/todos/abc` for an `Int` id), or when the route has no such parameter.
    public func require<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard let text = self[name] else { throw HTTPError(.badRequest, message: "\(name): missing") }
        guard let value = T(text) else {
            throw HTTPError(.badRequest, message: "\(name): expected \(T.self), found \"\(clientText(text))\"")
        }
        return value
    }
}

/// What a request body's `Content-Type` says about decoding it.
enum BodyMediaType: Equatable {
    case json, form, unsupported

    /// From a `Content-Type` value: the type and subtype without regard to case, parameters ignored but a
    /// `charset` other than UTF-8.
    init(_ contentType: String?) {
        guard let contentType else {
            self = .unsupported
            return
        }
        let parts = contentType.split(separator: ";", omittingEmptySubsequences: false)
        let essence = Self.trimmed(parts[0]).lowercased()
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, Self.trimmed(pair[0]).lowercased() == "charset" else { continue }
            let charset = Self.trimmed(pair[1]).lowercased()
            guard charset == "utf-8" || charset == "utf8" || charset == "\"utf-8\"" else {
                self = .unsupported
                return
            }
        }
        if essence == "application/json" || (essence.hasPrefix("application/") && essence.hasSuffix("+json")) {
            self = .json
        } else if essence == "application/x-www-form-urlencoded" {
            self = .form
        } else {
            self = .unsupported
        }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}

/// A client's value quoted back in a message: at most 40 characters, control characters replaced.
private func clientText(_ text: String) -> String {
    String(String.UnicodeScalarView(text.unicodeScalars.prefix(40).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
}
