import Foundation
import MiniHTTP
import MiniHTTPTesting
import Testing

extension MiniHTTPTestingTests {
    @Suite("Routes through the real server") struct RouteTests {
        @Test("a sync route answers with a Content-Length body", arguments: Mode.allCases)
        func syncRoute(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let response = try await client.get("/hello")
                #expect(response.status == .ok)
                #expect(response.text == "Hello")
                #expect(response.framing == .contentLength(5))
                #expect(response.headers["content-type"] == "text/plain; charset=utf-8")
                #expect(response.headers["Server"] == "minihttp")
                #expect(response.version == "HTTP/1.1")
            }
        }

        @Test("an async route answers", arguments: Mode.allCases)
        func asyncRoute(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let response = try await client.get("/async?n=7")
                #expect(response.status == .ok)
                #expect(response.text == "async 7")
            }
        }

        @Test("a streamed response arrives chunked, one chunk per write", arguments: Mode.allCases)
        func streamedResponse(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let response = try await client.get("/stream")
                #expect(response.text == "one,two,three")
                #expect(response.framing == .chunked(chunks: 3))
                #expect(response.headers["Transfer-Encoding"] == "chunked")
                #expect(String(decoding: response.wire, as: UTF8.self).hasSuffix("\r\n4\r\none,\r\n4\r\ntwo,\r\n5\r\nthree\r\n0\r\n\r\n"))
            }
        }

        @Test("a streamed request body reaches the handler, chunked or with a length", arguments: Mode.allCases)
        func streamedRequest(mode: Mode) async throws {
            let body = [UInt8](repeating: 0x61, count: 100_000)
            try await Fixture.withClient(mode) { client in
                let chunked = try await client.post("/upload", body: body, chunkSize: 7_000)
                let sized = try await client.post("/upload", body: body)
                #expect(chunked.text == "100000 bytes")
                #expect(sized.text == "100000 bytes")
            }
        }

        @Test("HEAD gets the head only, and validate() accepts it", arguments: Mode.allCases)
        func head(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                for path in ["/hello", "/stream"] {
                    let response = try await client.head(path)
                    #expect(response.status == .ok)
                    #expect(response.body.isEmpty)
                    #expect(response.framing == .none)
                    #expect(response.framingFaults().isEmpty)
                }
                // The connection is still in step: the next answer is the next request's.
                #expect(try await client.get("/hello").text == "Hello")
            }
        }

        @Test("a file response (sendfile) and a public folder arrive whole", arguments: Mode.allCases)
        func files(mode: Mode) async throws {
            let folder = NSTemporaryDirectory() + "minihttp-testing-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            #expect(FileManager.default.createFile(atPath: folder + "/big.bin", contents: Data(content)))
            var router = Router()
            router.get("/download") { _ in .file("big.bin") }  // beneath the public folder
            var configuration = TestClient.defaultConfiguration
            configuration.publicDirectory = folder
            try await Fixture.withClient(mode, router: router, configuration: configuration) { client in
                let download = try await client.get("/download")
                let served = try await client.get("/big.bin")
                #expect(download.body == content)
                #expect(served.body == content)
                #expect(served.framing == .contentLength(300_000))
                let range = try await client.get("/big.bin", headers: ["Range": "bytes=10-19"])
                #expect(range.status == .partialContent)
                #expect(range.body == Array(content[10...19]))
            }
        }

        @Test("an unknown path is a 404", arguments: Mode.allCases)
        func notFound(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let response = try await client.get("/nothing/here")
                #expect(response.status == .notFound)
            }
        }

        @Test("request headers reach the route; JSON bodies decode with ISO 8601 dates", arguments: Mode.allCases)
        func jsonAndHeaders(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                #expect(try await client.get("/todos?limit=2").status == .unauthorized)
                let response = try await client.get("/todos?limit=2", headers: ["Authorization": "Bearer k"])
                #expect(response.status == .ok)
                #expect(response.headers["Content-Type"] == "application/json")
                let todos = try response.decode([Todo].self)
                #expect(todos.map(\.id) == [1, 2])
                #expect(todos.first?.due == Fixture.due)
            }
        }

        @Test("post(json:) sends JSON with ISO 8601 dates; post(form:) sends a URL-encoded form", arguments: Mode.allCases)
        func bodies(mode: Mode) async throws {
            try await Fixture.withClient(mode) { client in
                let todo = Todo(id: 9, title: "buy milk & eggs", due: Fixture.due)
                let created = try await client.post("/todos", json: todo)
                #expect(created.status == .created)
                #expect(created.headers["Content-Type"] == "application/json")
                #expect(created.text.contains("\"due\":\"2026-01-02T03:04:05Z\""))
                #expect(try created.decode(Todo.self) == todo)
                let form = try await client.post("/form", form: ["a": "1", "b c": "x&y=ü"])
                #expect(form.text == "a=1&b+c=x%26y%3D%C3%BC")
            }
        }

        @Test("an in-process client's address is 127.0.0.1")
        func clientAddress() async throws {
            try await Fixture.withClient(.inProcess) { client in
                let response = try await client.get("/client")
                #expect(response.text == "127.0.0.1")
            }
        }

        @Test("headers given as [HTTPField] are sent in order")
        func fieldHeaders() async throws {
            try await Fixture.withClient(.inProcess) { client in
                let fields = [HTTPField(name: "Authorization", value: "Bearer k")]
                let fromArray = try await client.get("/todos", headers: TestRequestHeaders(fields))
                let fromLiteral = try await client.get("/todos", headers: [HTTPField(name: "Authorization", value: "Bearer k")])
                #expect(fromArray.status == .ok)
                #expect(fromLiteral.status == .ok)
            }
        }

        @Test("in process and live, the server writes the same bytes (but for the Date)")
        func sameBytes() async throws {
            func withoutDate(_ wire: [UInt8]) -> String {
                String(decoding: wire, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("Date:") }.joined(separator: "\r\n")
            }
            var wires: [Mode: [String]] = [:]
            for mode in Mode.allCases {
                wires[mode] = try await Fixture.withClient(mode) { client in
                    var out: [String] = []
                    for path in ["/hello", "/stream", "/nothing"] { out.append(withoutDate(try await client.get(path).wire)) }
                    out.append(withoutDate(try await client.head("/hello").wire))
                    return out
                }
            }
            #expect(wires[.inProcess] == wires[.live])
            #expect(wires[.inProcess]?.count == 4)
        }
    }
}
