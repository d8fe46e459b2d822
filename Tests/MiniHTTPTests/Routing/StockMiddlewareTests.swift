import Testing
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

@Suite("RequestID")
struct RequestIDTests {
    static func makeRouter() -> Router {
        var router = Router()
        router.add(middleware: RequestID())
        router.get("/id") { request in request.requestID ?? "none" }
        return router
    }

    @Test("a valid incoming X-Request-ID is kept for the handler and echoed")
    func echoed() async {
        let response = await RouteRunner.respond(Self.makeRouter(), .get, "/id", fields: ["X-Request-ID: abc-123_x.y"])
        #expect(response.bodyText == "abc-123_x.y")
        #expect(response.values("X-Request-ID") == ["abc-123_x.y"])
    }

    @Test("a missing or invalid one is replaced by a fresh 22-character identifier", arguments: [
        [], ["X-Request-ID: has space"], ["X-Request-ID: " + String(repeating: "a", count: 65)], ["X-Request-ID: a<b"],
    ])
    func generated(_ fields: [String]) async {
        let router = Self.makeRouter()
        let first = await RouteRunner.respond(router, .get, "/id", fields: fields)
        let second = await RouteRunner.respond(router, .get, "/id", fields: fields)
        #expect(first.bodyText.utf8.count == 22)
        #expect(first.bodyText.utf8.allSatisfy { ASCII.isTokenByte($0) })
        #expect(first.values("X-Request-ID") == [first.bodyText])
        #expect(first.bodyText != second.bodyText)
    }
}

@Suite("SecurityHeaders")
struct SecurityHeadersTests {
    @Test("the default fields on a route's response and on the server's own 404")
    func defaults() async {
        var router = Router()
        router.add(middleware: SecurityHeaders())
        router.get("/x") { _ in "x" }
        for target in ["/x", "/missing"] {
            let response = await RouteRunner.respond(router, target)
            #expect(response.values("X-Content-Type-Options") == ["nosniff"])
            #expect(response.values("Referrer-Policy") == ["strict-origin-when-cross-origin"])
            #expect(response.values("X-Frame-Options") == ["DENY"])
            #expect(response.values("Strict-Transport-Security").isEmpty)
        }
    }

    @Test("HSTS only when asked; fields left out when nil")
    func configured() async {
        var router = Router()
        router.add(middleware: SecurityHeaders(referrerPolicy: nil, framing: .sameOrigin, hstsMaxAgeSeconds: 31_536_000,
                                               hstsIncludesSubdomains: true))
        router.get("/x") { _ in "x" }
        let response = await RouteRunner.respond(router, "/x")
        #expect(response.values("Strict-Transport-Security") == ["max-age=31536000; includeSubDomains"])
        #expect(response.values("X-Frame-Options") == ["SAMEORIGIN"])
        #expect(response.values("Referrer-Policy").isEmpty)
    }
}
