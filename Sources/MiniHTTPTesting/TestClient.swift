import Logging
import MiniHTTP
import MiniHTTPCore
import Synchronization

/// Sends requests to a router served by the real server, and returns the responses it wrote.
///
/// **In process** (``init(router:configuration:timeout:validatesResponses:)``, ``inProcess(router:configuration:timeout:validatesResponses:_:)``):
/// a ``Server`` with no listening socket. Each connection is a `socketpair(AF_UNIX, SOCK_STREAM)`: one end
/// goes to a worker as if accepted, the client reads and writes the other. Everything the server does
/// after `accept` runs — the parser, the connection state machine, the router, handlers (sync, async,
/// streamed request and response bodies), the finaliser and the encoder — so a response's bytes
/// (``TestResponse/wire``) are the bytes the server sends to a browser. No port, no network: nothing
/// else can connect. The client's address, as routes, the access log and the connection limits see it,
/// is 127.0.0.1.
///
/// **Live** (``live(router:configuration:timeout:validatesResponses:_:)``): the server listens on
/// 127.0.0.1, on a port the kernel picks (``port``), and the client connects over TCP: for end-to-end
/// tests of what sits between the socket and `accept` too.
///
/// ```swift
/// let client = try TestClient(router: router)
/// let response = try await client.get("/todos?limit=2", headers: ["Authorization": "Bearer k"])
/// #expect(response.status == .ok)
/// await client.shutdown()
/// ```
///
/// Requests made one after another share one connection, kept alive as a browser's would be (a new one
/// is opened when the server closes it); ``newConnection()`` gives a connection of its own. Every request
/// is bounded by ``timeout``; its blocking socket work runs on a thread of its own, never on Swift's
/// cooperative pool (where the server's async handlers run). Every response is checked with
/// ``TestResponse/validate()`` unless `validatesResponses` is false.
///
/// ``shutdown()`` closes the connections and stops the server (a graceful drain), joining its threads;
/// a client that goes away without it stops the server all the same.
public final class TestClient: TestRequestSending {
    /// The configuration ``init(router:configuration:timeout:validatesResponses:)`` uses by default: the
    /// server's defaults, but one worker, no public folder, no access log, and a 1-second drain.
    public static var defaultConfiguration: ServerConfig {
        var configuration = ServerConfig()
        configuration.workers = 1
        configuration.publicDirectory = nil
        configuration.accessLog = false
        configuration.shutdownGraceSeconds = 1
        return configuration
    }

    /// The server under test.
    public let server: Server
    /// The port a live server listens on (127.0.0.1); nil in process.
    public let port: Int?
    private let endpoint: Endpoint
    private let connection: TestConnection
    private let stopped = Atomic<Bool>(false)

    /// How long a request may take, from its first byte written to its response's last byte read.
    public var timeout: Duration { connection.timeout }
    /// Whether every response is checked with ``TestResponse/validate()`` before it is returned.
    public var validatesResponses: Bool { connection.validatesResponses }

    /// Serves `router` in process (see the type's documentation), started and ready for requests.
    /// - Throws: ``TestClientError/system(_:)`` when the server cannot be made (an invalid route, a
    ///   configuration error, a public folder that is not there).
    public convenience init(
        router: Router, configuration: ServerConfig = TestClient.defaultConfiguration, timeout: Duration = .seconds(10),
        validatesResponses: Bool = true
    ) throws(TestClientError) {
        let server: Server
        do {
            server = try Server(inProcess: configuration, router: router, logger: Logger(label: "minihttp-testing"))
        } catch {
            throw .system(error.description)
        }
        try self.init(server: server, endpoint: .inProcess(server), timeout: timeout, validatesResponses: validatesResponses)
    }

    private init(server: Server, endpoint: Endpoint, timeout: Duration, validatesResponses: Bool) throws(TestClientError) {
        self.server = server
        self.endpoint = endpoint
        if case .live(let port) = endpoint { self.port = port } else { port = nil }
        connection = TestConnection(endpoint: endpoint, timeout: timeout, validatesResponses: validatesResponses, reconnects: true)
        do {
            try server.start()
        } catch {
            throw .system(error.description)
        }
    }

    /// Runs `body` with a client of an in-process server (see the type's documentation), and shuts the
    /// server down when `body` returns or throws.
    public static func inProcess<T>(
        router: Router, configuration: ServerConfig = TestClient.defaultConfiguration, timeout: Duration = .seconds(10),
        validatesResponses: Bool = true, _ body: (TestClient) async throws -> T
    ) async throws -> T {
        let client = try TestClient(router: router, configuration: configuration, timeout: timeout, validatesResponses: validatesResponses)
        return try await client.run(body)
    }

    /// Runs `body` with a client of a real server listening on 127.0.0.1 at a port of the kernel's choice
    /// (the configuration's host and port are replaced), and shuts the server down when `body` returns
    /// or throws.
    public static func live<T>(
        router: Router, configuration: ServerConfig = TestClient.defaultConfiguration, timeout: Duration = .seconds(10),
        validatesResponses: Bool = true, _ body: (TestClient) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.reusePort = false
        let server: Server
        do {
            server = try Server(configuration: configuration, router: router, logger: Logger(label: "minihttp-testing"))
        } catch {
            throw TestClientError.system(error.description)
        }
        let client = try TestClient(
            server: server, endpoint: .live(port: server.port), timeout: timeout, validatesResponses: validatesResponses)
        return try await client.run(body)
    }

    private func run<T>(_ body: (TestClient) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
    }

    deinit {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        connection.close()
        server.shutdown()
        // The workers end by themselves once drained; reap their threads without blocking anyone.
        let server = server
        Task.detached {
            await server.stopped()
            server.wait()
        }
    }

    /// Closes this client's connection and stops the server: requests in flight get up to the
    /// configuration's `shutdownGraceSeconds`; returns when every server thread has ended. Requests
    /// after it throw. A second call does nothing.
    public func shutdown() async {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        connection.close()
        server.shutdown()
        await server.stopped()
        // Every worker has finished; joining them only reaps their threads.
        server.wait()
    }

    /// A connection of its own: requests on it go one after another on one socket, which is not
    /// reopened once the server closes it (see ``TestConnection``).
    public func newConnection() -> TestConnection {
        TestConnection(endpoint: endpoint, timeout: timeout, validatesResponses: validatesResponses, reconnects: false)
    }

    /// How many sockets this client's own connection has opened: 1 while the server keeps it alive.
    public var connectionsOpened: Int { connection.socketsOpened }

    public func execute(
        _ method: HTTPMethod, _ target: String, headers: TestRequestHeaders, body: [UInt8]?, chunkSize: Int?
    ) async throws -> TestResponse {
        try await connection.execute(method, target, headers: headers, body: body, chunkSize: chunkSize)
    }

    public func send(raw bytes: [UInt8], responses count: Int?) async throws -> [TestResponse] {
        try await connection.send(raw: bytes, responses: count)
    }
}
