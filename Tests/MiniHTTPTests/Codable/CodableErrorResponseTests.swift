import Foundation
import Testing

@testable import MiniHTTP

private struct Problem: Decodable, Equatable {
    var type: String
    var title: String
    var status: Int
    var detail: String?
}

private struct DatabaseError: Error, CustomStringConvertible {
    var description: String { "password=hunter2 at /srv/db.sqlite" }
}

private struct Teapot: HTTPResponseError {
    var status: Status { Status(code: 418, reason: "I'm a teapot") }
}

private struct Todo: Decodable { var title: String; var tags: [Int] }
private struct Envelope: Decodable { var todo: Todo }

private func text(_ response: Response) -> String? {
    switch response.body.storage {
    case .string(let string): string
    case .bytes(let bytes): String(decoding: bytes, as: UTF8.self)
    default: nil
    }
}

private func problem(_ response: Response) throws -> Problem {
    try JSONDecoder().decode(Problem.self, from: Data((text(response) ?? "").utf8))
}

/// The error JSONDecoder throws for `json`, as a client would read it.
private func jsonMessage<T: Decodable>(_ type: T.Type, _ json: String) -> String? {
    do {
        _ = try JSONDecoder().decode(type, from: Data(json.utf8))
        return nil
    } catch let error as DecodingError {
        return error.clientMessage
    } catch {
        return "not a DecodingError: \(error)"
    }
}

@Suite("Codable: error answers")
struct CodableErrorResponseTests {
    @Test("an HTTPError is answered with its status, headers and message, or the reason phrase")
    func httpErrorPlain() {
        let bare = ErrorBodyFormat.plainText.response(for: HTTPError(.notFound))
        #expect(bare.status == .notFound && bare.contentType == "text/plain; charset=utf-8")
        #expect(text(bare) == "Not Found\n")
        let detailed = Response(error: HTTPError(
            .unauthorized, message: "token expired", headers: [HTTPField(name: "WWW-Authenticate", value: "Bearer")]))
        #expect(detailed.status == .unauthorized && text(detailed) == "token expired\n")
        #expect(detailed.headers == [HTTPField(name: "WWW-Authenticate", value: "Bearer")])
    }

    @Test("an error type of your own is answered as it says")
    func customError() throws {
        let response = ErrorBodyFormat.problemDetails.response(for: Teapot())
        #expect(response.status.code == 418)
        #expect(try problem(response) == Problem(type: "about:blank", title: "I'm a teapot", status: 418))
    }

    @Test("any other error is a 500 that never shows the error's text", arguments: [
        ErrorBodyFormat.plainText, .problemDetails,
    ])
    func otherErrors(format: ErrorBodyFormat) throws {
        let response = format.response(for: DatabaseError())
        #expect(response.status == .internalServerError && response.headers.isEmpty)
        let body = try #require(text(response))
        #expect(!body.contains("hunter2") && !body.contains("/srv"))
        if format == .plainText {
            #expect(body == "Internal Server Error\n")
        } else {
            #expect(try problem(response) == Problem(type: "about:blank", title: "Internal Server Error", status: 500))
        }
    }

    @Test("a DecodingError is a 400 naming the failing field")
    func decodingErrors() throws {
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Envelope.self, from: Data(#"{"todo":{"title":"t","tags":[1,"x"]}}"#.utf8))
        }
        let response = ErrorBodyFormat.problemDetails.response(for: try #require(error))
        #expect(response.status == .badRequest && response.contentType == "application/problem+json")
        #expect(try problem(response) == Problem(
            type: "about:blank", title: "Bad Request", status: 400,
            detail: "todo.tags[1]: expected Int, found a string"))
        let plain = ErrorBodyFormat.plainText.response(for: try #require(error))
        #expect(text(plain) == "todo.tags[1]: expected Int, found a string\n")
    }

    @Test("JSONDecoder's errors read as one line naming the key path")
    func jsonMessages() {
        #expect(jsonMessage(Envelope.self, "{\"todo\":") == "body is not valid JSON")
        #expect(jsonMessage(Envelope.self, #"{"todo":{"tags":[]}}"#) == "missing key 'todo.title'")
        #expect(jsonMessage(Todo.self, #"{"tags":[]}"#) == "missing key 'title'")
        #expect(jsonMessage(Todo.self, #"{"title":null,"tags":[]}"#) == "title: expected String, found null")
        #expect(jsonMessage(Todo.self, #"{"title":"t","tags":{}}"#) == "tags: expected a list, found a dictionary")
        #expect(jsonMessage([Todo].self, #"{}"#) == "expected a list, found a dictionary")
    }

    @Test("problem details stay valid JSON whatever the message holds", arguments: [
        #"say "hi""#, #"back\slash"#, "line\nbreak\r\ttab", "bell\u{07} nul\u{00} unit\u{1F} del\u{7F}",
        "ünïcødé ✓ 🎉", "separators \u{2028}\u{2029}", "</script>", "",
    ])
    func problemJSONEscaping(message: String) throws {
        let response = ErrorBodyFormat.problemDetails.response(for: HTTPError(.conflict, message: message))
        let body = try #require(text(response))
        #expect(try problem(response) == Problem(type: "about:blank", title: "Conflict", status: 409, detail: message))
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        #expect(object?["detail"] as? String == message)
        #expect(!body.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test("problem details write their members in RFC 9457's order")
    func problemJSONShape() {
        let response = ErrorBodyFormat.problemDetails.response(for: HTTPError(.badRequest, message: "a\u{01}"))
        #expect(text(response) == #"{"type":"about:blank","title":"Bad Request","status":400,"detail":"a\u0001"}"#)
    }

    @Test("a status that forbids a body gets none, in either format", arguments: [
        (Status.notModified, ErrorBodyFormat.plainText), (.notModified, .problemDetails), (.noContent, .problemDetails),
    ])
    func bodilessStatuses(status: Status, format: ErrorBodyFormat) {
        let etag = HTTPField(name: "ETag", value: "\"v1\"")
        let response = format.response(for: HTTPError(status, message: "unchanged", headers: [etag]))
        #expect(response.status == status && response.contentType == nil && response.body.count == 0)
        #expect(response.headers == [etag])
    }

    @Test("HTTPError describes itself for logs")
    func description() {
        #expect(HTTPError(.notFound).description == "404 Not Found")
        #expect(HTTPError(.badRequest, message: "no").description == "400 Bad Request: no")
    }
}
