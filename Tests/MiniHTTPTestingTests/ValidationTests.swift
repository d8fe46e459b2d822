import MiniHTTP
import MiniHTTPTesting
import Testing

extension MiniHTTPTestingTests {
    @Suite("validate() on crafted bytes") struct ValidationTests {
        static let date = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
        static let server = "Server: minihttp\r\n"

        struct Case: CustomTestStringConvertible, Sendable {
            var name: String
            var wire: String
            var method: HTTPMethod = .get
            var faults: [FramingFault]
            var testDescription: String { name }
        }

        static let cases: [Case] = [
            Case(name: "a good length", wire: "HTTP/1.1 200 OK\r\n\(date)\(server)Content-Length: 2\r\n\r\nhi", faults: []),
            Case(name: "a good chunked body",
                 wire: "HTTP/1.1 200 OK\r\n\(date)\(server)Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", faults: []),
            Case(name: "length and chunked",
                 wire: "HTTP/1.1 200 OK\r\n\(date)\(server)Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
                 faults: [.contentLengthWithTransferEncoding]),
            Case(name: "two equal lengths",
                 wire: "HTTP/1.1 200 OK\r\n\(date)\(server)Content-Length: 2\r\nContent-Length: 2\r\n\r\nhi",
                 faults: [.repeatedContentLength]),
            Case(name: "gzip as transfer coding",
                 wire: "HTTP/1.1 200 OK\r\n\(date)\(server)Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                 faults: [.transferEncodingNotChunked("gzip, chunked")]),
            Case(name: "a close-delimited body on HTTP/1.1",
                 wire: "HTTP/1.1 200 OK\r\n\(date)\(server)\r\nhello", faults: [.noLengthOrChunking]),
            Case(name: "a body on HEAD", wire: "HTTP/1.1 200 OK\r\n\(date)\(server)Content-Length: 2\r\n\r\nhi",
                 method: .head, faults: [.bytesAfterResponse(2)]),
            Case(name: "a body on 204", wire: "HTTP/1.1 204 No Content\r\n\(date)\(server)\r\nhi",
                 faults: [.bytesAfterResponse(2)]),
            Case(name: "a length on 204", wire: "HTTP/1.1 204 No Content\r\n\(date)\(server)Content-Length: 0\r\n\r\n",
                 faults: [.framingFieldOnBodilessStatus(204)]),
            Case(name: "a body on 304", wire: "HTTP/1.1 304 Not Modified\r\n\(date)\(server)Content-Length: 2\r\n\r\nhi",
                 faults: [.bytesAfterResponse(2)]),
            Case(name: "a length shorter than the body",
                 wire: "HTTP/1.1 200 OK\r\n\(date)\(server)Content-Length: 1\r\n\r\nhi", faults: [.bytesAfterResponse(1)]),
            Case(name: "no Date, no Server", wire: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                 faults: [.missingDate, .missingServer]),
            Case(name: "an RFC 850 date",
                 wire: "HTTP/1.1 200 OK\r\nDate: Sunday, 06-Nov-94 08:49:37 GMT\r\n\(server)Content-Length: 0\r\n\r\n",
                 faults: [.invalidDate("Sunday, 06-Nov-94 08:49:37 GMT")]),
            Case(name: "a wrong weekday",
                 wire: "HTTP/1.1 200 OK\r\nDate: Mon, 06 Nov 1994 08:49:37 GMT\r\n\(server)Content-Length: 0\r\n\r\n",
                 faults: [.invalidDate("Mon, 06 Nov 1994 08:49:37 GMT")]),
            Case(name: "two Dates, two Servers",
                 wire: "HTTP/1.1 200 OK\r\n\(date)\(date)\(server)\(server)Content-Length: 0\r\n\r\n",
                 faults: [.repeatedDate, .repeatedServer]),
        ]

        @Test("validate() names each framing fault", arguments: cases)
        func faults(_ test: Case) throws {
            let response = try TestResponse(parsing: Array(test.wire.utf8), requestMethod: test.method)
            #expect(response.framingFaults() == test.faults)
            if test.faults.isEmpty {
                try response.validate()
            } else {
                #expect(throws: TestResponseError.self) { try response.validate() }
            }
        }

        @Test("bytes that cannot be framed do not parse", arguments: [
            ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi", "Content-Length 2, 3 cannot frame a body"),
            ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length -1 cannot frame a body"),
            ("HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", "a bare LF in the head"),
            ("HTTP/2 200 OK\r\n\r\n", "not a status line: 'HTTP/2 200 OK'"),
            ("HTTP/1.1 200 OK\r\nA: b\r\n folded: c\r\n\r\n", "a field name that is not a token: ' folded'"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", "a bad chunk-size line: 'z'"),
        ])
        func malformed(wire: String, reason: String) {
            #expect(throws: TestClientError.malformedResponse(reason)) { try TestResponse(parsing: Array(wire.utf8)) }
        }

        @Test("a response cut short is reported as closed")
        func truncated() {
            #expect(throws: TestClientError.connectionClosed(receivedBytes: 40)) {
                try TestResponse(parsing: Array("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhi".utf8))
            }
        }

        @Test("interim responses are kept apart from the final one")
        func interim() throws {
            let wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\(Self.date)\(Self.server)Content-Length: 2\r\n\r\nok"
            let response = try TestResponse(parsing: Array(wire.utf8))
            #expect(response.status == .ok)
            #expect(response.interim.map(\.status) == [.continue])
            #expect(response.text == "ok")
            #expect(String(decoding: response.wire, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n"))
        }

        @Test("a validating client throws exactly when the response has faults", arguments: Mode.allCases)
        func clientValidates(mode: Mode) async throws {
            // A handler's own Date and Server: today the server writes them beside its own (a fault that
            // validate() reports); should it replace them, the response is clean and the client must not throw.
            var router = Router()
            router.get("/dated") { _ in
                Response(status: .ok, headers: [HTTPField(name: "Date", value: "yesterday"), HTTPField(name: "Server", value: "x")])
            }
            let faults = try await TestClient.inProcess(router: router, validatesResponses: false) { client in
                try await client.get("/dated").framingFaults()
            }
            try await Fixture.withClient(mode, router: router) { client in
                do {
                    _ = try await client.get("/dated")
                    #expect(faults.isEmpty)
                } catch let error as TestResponseError {
                    #expect(error.faults == faults)
                    #expect(!faults.isEmpty)
                }
            }
        }
    }
}
