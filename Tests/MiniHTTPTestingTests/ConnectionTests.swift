import MiniHTTP
import MiniHTTPTesting
import Testing

extension MiniHTTPTestingTests {
    @Suite("Connections: raw bytes, pipelining, keep-alive, timeouts") struct ConnectionTests {
        @Test("pipelined raw requests get their responses in order; a HEAD among them has no body", arguments: Mode.allCases)
        func pipelined(mode: Mode) async throws {
            let raw = Array((
                "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /async?n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
            ).utf8)
            try await Fixture.withClient(mode) { client in
                let responses = try await client.send(raw: raw)
                #expect(responses.map(\.text) == ["Hello", "", "abc", "async 2"])
                #expect(responses[1].framing == .none)
                for response in responses { try response.validate() }
            }
        }

        @Test("a request sent in parts is answered once complete", arguments: Mode.allCases)
        func parts(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let connection = client.newConnection()
                let none = try await connection.send(raw: Array("POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab".utf8))
                #expect(none.isEmpty)
                let answered = try await connection.send(raw: Array("cd".utf8), responses: 1)
                #expect(answered.map(\.text) == ["abcd"])
                try answered.first?.validate()
            }
        }

        @Test("bytes the server must refuse get a 400, and the connection closes", arguments: Mode.allCases)
        func malformed(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let responses = try await client.send(raw: Array("GET /hello HTTP/1.1\r\nHost: x\r\nbad header\r\n\r\n".utf8))
                #expect(responses.map(\.status) == [.badRequest])
                #expect(responses.first?.headers["Connection"] == "close")
                try responses.first?.validate()
                // The client's own connection is gone; the next request opens another.
                let next = try await client.get("/hello")
                #expect(next.text == "Hello")
                #expect(client.connectionsOpened == 2)
            }
        }

        @Test("sequential requests reuse one connection until the server closes it", arguments: Mode.allCases)
        func keepAlive(mode: Mode) async throws {
            var configuration = TestClient.defaultConfiguration
            configuration.maxRequestsPerConnection = 3
            try await Fixture.withClient(mode, configuration: configuration) { client in
                var closes: [String?] = []
                for _ in 0..<4 { closes.append(try await client.get("/hello").headers["Connection"]) }
                // The server counted three requests on one connection, said close on the third, and the
                // fourth went on a new connection.
                #expect(closes == ["keep-alive", "keep-alive", "close", "keep-alive"])
                #expect(client.connectionsOpened == 2)
            }
        }

        @Test("a connection of its own stays one connection; once closed, it says so", arguments: Mode.allCases)
        func ownConnection(mode: Mode) async throws {
            var configuration = TestClient.defaultConfiguration
            configuration.maxRequestsPerConnection = 2
            try await Fixture.withClient(mode, configuration: configuration) { client in
                let connection = client.newConnection()
                let first = try await connection.get("/hello")
                let second = try await connection.get("/async")
                #expect(first.headers["Connection"] == "keep-alive")
                #expect(second.headers["Connection"] == "close")
                await #expect(throws: TestClientError.connectionClosed(receivedBytes: 0)) {
                    try await connection.get("/hello")
                }
                #expect(connection.socketsOpened == 1)
                connection.close()
            }
        }

        @Test("a request that gets no answer fails at the timeout", arguments: Mode.allCases)
        func timeout(mode: Mode) async throws {
            let gate = Gate()
            let clock = ContinuousClock()
            try await Fixture.withClient(mode, router: Fixture.router(gate: gate), timeout: .milliseconds(200)) { client in
                let started = clock.now
                await #expect(throws: TestClientError.timedOut(.milliseconds(200), receivedBytes: 0)) {
                    try await client.get("/held")
                }
                // Bounded: the wait ended near the timeout, not at some other limit.
                #expect(clock.now - started < .seconds(5))
                gate.open()
                // The abandoned connection is closed; a new one works.
                let response = try await client.get("/hello")
                #expect(response.text == "Hello")
            }
        }

        @Test("an HTTP/1.0 client gets a streamed body delimited by the close, which validate() accepts", arguments: Mode.allCases)
        func closeDelimited(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let responses = try await client.send(raw: Array("GET /stream HTTP/1.0\r\n\r\n".utf8))
                let response = try #require(responses.first)
                #expect(response.framing == .closeDelimited)
                #expect(response.text == "one,two,three")
                try response.validate()
            }
        }

        @Test("an interim 100 Continue is read past and kept", arguments: Mode.allCases)
        func continueFirst(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                // The head alone first: the server answers 100 before the body is sent.
                let head = "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
                let connection = client.newConnection()
                let interim = try await connection.send(raw: Array(head.utf8), responses: 1)
                #expect(interim.map(\.status) == [.continue])
                let final = try await connection.send(raw: Array("ok".utf8), responses: 1)
                #expect(final.first?.text == "ok")
                // Both in one write: the helper skips any interim answer and returns the final one.
                let response = try await client.post("/form", body: Array("hi".utf8), headers: ["Expect": "100-continue"])
                #expect(response.text == "hi")
                #expect(response.interim.allSatisfy { $0.status == .continue })
            }
        }

        @Test("concurrent requests on one client each get their own answer", arguments: Mode.allCases)
        func concurrent(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let texts = try await withThrowingTaskGroup(of: String.self) { group in
                    for n in 0..<8 { group.addTask { try await client.get("/async?n=\(n)").text } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(Set(texts) == Set((0..<8).map { "async \($0)" }))
            }
        }

        @Test("a server that cannot be made is a system error naming why")
        func badRoute() throws {
            var router = Router()
            router.get("/a/:") { _ in .text("") }
            #expect(throws: TestClientError.self) { try TestClient(router: router) }
        }
    }
}
