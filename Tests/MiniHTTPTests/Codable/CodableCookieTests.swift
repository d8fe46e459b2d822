import Foundation
import Testing

@testable import MiniHTTP

private func pairs(_ cookies: Cookies) -> [String] {
    cookies.map { "\($0.name)=\($0.value)" }
}

/// The arguments of one `SetCookie` initialisation, for a table.
struct SetCookieAttempt: Sendable {
    var name = "a"
    var value = "b"
    var expires: Date?
    var maxAge: Int?
    var domain: String?
    var path: String?
    var secure = false
    var sameSite: SetCookie.SameSite = .unspecified
    var partitioned = false

    func make() throws(CookieError) -> SetCookie {
        try SetCookie(
            name: name, value: value, expires: expires, maxAge: maxAge, domain: domain, path: path, secure: secure,
            sameSite: sameSite, partitioned: partitioned)
    }
}

@Suite("Codable: cookies")
struct CodableCookieTests {
    @Test("parses Cookie header values leniently, first name wins, malformed pairs skipped", arguments: [
        (["a=b; c=d"], ["a=b", "c=d"]),
        (["a=b;c=d"], ["a=b", "c=d"]),
        (["  a = b ;\tc=d  ;"], ["a=b", "c=d"]),
        (["a=1; a=2"], ["a=1"]),
        (["a=\"quoted value\""], ["a=quoted value"]),
        (["a=\""], ["a=\""]),
        (["a="], ["a="]),
        (["a==b"], ["a==b"]),
        (["bare; a=b"], ["a=b"]),
        (["=x; a=b"], ["a=b"]),
        (["a b=c; d=e"], ["d=e"]),
        (["a(b)=c; d=e"], ["d=e"]),
        (["a=b\u{01}; c=d"], ["c=d"]),
        (["a=b", "c=d; a=z"], ["a=b", "c=d"]),
        ([""], []),
        ([";;;"], []),
    ])
    func parsing(lines: [String], expected: [String]) {
        #expect(pairs(Cookies(headerValues: lines)) == expected)
    }

    @Test("a request's cookies come from all its Cookie lines, whatever the field name's case")
    func requestCookies() {
        let request = TestRequests.make(
            target: "/", fields: ["Cookie: session=abc; theme=dark", "X-Other: a=b", "cookie: lang=nb; session=zzz"])
        #expect(pairs(request.cookies) == ["session=abc", "theme=dark", "lang=nb"])
        #expect(TestRequests.make(target: "/").cookies.isEmpty)
    }

    @Test("looks cookies up by exact name")
    func subscripting() {
        let cookies = Cookies(headerValue: "session=abc; Theme=dark")
        #expect(cookies["session"] == "abc" && cookies["Theme"] == "dark")
        #expect(cookies["theme"] == nil && cookies["missing"] == nil)
        #expect(cookies.count == 2 && !cookies.isEmpty)
    }

    @Test("renders every attribute in order")
    func rendering() throws {
        let cookie = try SetCookie(
            name: "session", value: "abc123", expires: Date(timeIntervalSince1970: 784_111_777), maxAge: 3600,
            domain: "example.org", path: "/app", secure: true, httpOnly: true, sameSite: .none, partitioned: true)
        #expect(cookie.headerValue == "session=abc123; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=3600; "
            + "Domain=example.org; Path=/app; Secure; HttpOnly; SameSite=None; Partitioned")
        #expect(try SetCookie(name: "a", value: "\"b\"", sameSite: .lax).headerValue == "a=\"b\"; SameSite=Lax")
        #expect(try SetCookie(name: "a", value: "", sameSite: .strict).headerValue == "a=; SameSite=Strict")
    }

    @Test("a cookie is deleted with an empty value, Max-Age=0 and an Expires in 1970")
    func expired() throws {
        #expect(try SetCookie.expired(name: "session", path: "/").headerValue
            == "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/")
        #expect(try SetCookie.expired(name: "__Host-id", path: "/").headerValue
            == "__Host-id=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure")
    }

    @Test("a response gets one Set-Cookie field per cookie")
    func responseFields() throws {
        var response = Response.text("hi")
        response.setCookie(try SetCookie(name: "a", value: "1"))
        response.setCookie(try SetCookie(name: "b", value: "2", httpOnly: true))
        #expect(response.headers == [
            HTTPField(name: "Set-Cookie", value: "a=1"), HTTPField(name: "Set-Cookie", value: "b=2; HttpOnly"),
        ])
    }

    @Test("expiry dates are IMF-fixdates across leap years, before 1970 and at the limits", arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
        (-11_644_473_600, "Mon, 01 Jan 1601 00:00:00 GMT"),
        (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ])
    func imfFixdate(seconds: Int, expected: String) throws {
        let cookie = try SetCookie(name: "a", value: "b", expires: Date(timeIntervalSince1970: Double(seconds) + 0.9))
        #expect(cookie.headerValue == "a=b; Expires=\(expected)")
    }

    @Test("invalid attributes are refused with the rule they break", arguments: [
        (SetCookieAttempt(name: "", value: "v"), CookieError.invalidName("")),
        (SetCookieAttempt(name: "a b", value: "v"), .invalidName("a b")),
        (SetCookieAttempt(name: "a;b", value: "v"), .invalidName("a;b")),
        (SetCookieAttempt(name: "ä", value: "v"), .invalidName("ä")),
        (SetCookieAttempt(name: "a", value: "b c"), .invalidValue(name: "a")),
        (SetCookieAttempt(name: "a", value: "b;c"), .invalidValue(name: "a")),
        (SetCookieAttempt(name: "a", value: "b,c"), .invalidValue(name: "a")),
        (SetCookieAttempt(name: "a", value: "b\\c"), .invalidValue(name: "a")),
        (SetCookieAttempt(name: "a", value: "\"b"), .invalidValue(name: "a")),
        (SetCookieAttempt(name: "a", value: "b\r\nX: y"), .invalidValue(name: "a")),
        (SetCookieAttempt(name: "a", value: "é"), .invalidValue(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", maxAge: -1), .negativeMaxAge(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", expires: Date(timeIntervalSince1970: -11_644_473_601)),
         .expiresOutOfRange(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", expires: Date(timeIntervalSince1970: .infinity)),
         .expiresOutOfRange(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", domain: "ex;ample.org"), .invalidDomain(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", domain: ""), .invalidDomain(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", domain: "a b.org"), .invalidDomain(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", path: "app"), .invalidPath(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", path: "/a;b"), .invalidPath(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", path: "/a\nb"), .invalidPath(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", sameSite: .none),
         .sameSiteNoneRequiresSecure(name: "a")),
        (SetCookieAttempt(name: "a", value: "b", partitioned: true), .partitionedRequiresSecure(name: "a")),
        (SetCookieAttempt(name: "__Secure-a", value: "b"), .prefixRequiresSecure(name: "__Secure-a")),
        (SetCookieAttempt(name: "__Host-a", value: "b", path: "/", secure: true), nil),
        (SetCookieAttempt(name: "__Host-a", value: "b", secure: true), .hostPrefixRequiresRootPath(name: "__Host-a")),
        (SetCookieAttempt(name: "__Host-a", value: "b", domain: "x.org", path: "/", secure: true),
         .hostPrefixRequiresRootPath(name: "__Host-a")),
    ] as [(SetCookieAttempt, CookieError?)])
    func validation(attempt: SetCookieAttempt, expected: CookieError?) {
        do {
            _ = try attempt.make()
            #expect(expected == nil, "accepted a cookie that breaks \(String(describing: expected))")
        } catch {
            #expect(error == expected)
        }
    }

    @Test("accepts a leading dot in Domain and any token character in the name")
    func accepted() throws {
        #expect(try SetCookie(name: "!#$%&'*+-.^_`|~09AZaz", value: "x", domain: ".example.org").headerValue
            == "!#$%&'*+-.^_`|~09AZaz=x; Domain=.example.org")
    }

    @Test("errors say what to fix")
    func errorDescriptions() {
        #expect(CookieError.sameSiteNoneRequiresSecure(name: "s").description
            == "cookie 's': SameSite=None requires Secure")
        #expect(CookieError.invalidName("a b").description.hasPrefix("cookie name 'a b' is not a token"))
    }
}
