import MiniHTTP
import MiniHTTPCore
import MiniHTTPPosix

/// Where a test's connections go: a worker of an in-process server, or a live server's loopback port.
enum Endpoint: Sendable {
    case inProcess(Server)
    case live(port: Int)

    func connect(deadline: Int64, timeout: Duration) throws(TestClientError) -> ClientSocket {
        switch self {
        case .inProcess(let server):
            do {
                return ClientSocket(fd: try server.connectInProcess())
            } catch {
                throw .system(error.description)
            }
        case .live(let port):
            return try ClientSocket.connect(port: port, deadline: deadline, timeout: timeout)
        }
    }
}

/// One client connection to the server under test: requests sent on it one after another, on the same
/// socket, so keep-alive and pipelining behave as they do for a real client. Made by
/// ``TestClient/newConnection()``; the socket opens with the first request and closes with ``close()``
/// or when this object goes away. Once the server has closed it, requests throw
/// ``TestClientError/connectionClosed(receivedBytes:)``.
///
/// A ``TestClient``'s own requests go on a connection like this one that reconnects when the server has
/// closed it (after `Connection: close`, a keep-alive timeout, `maxRequestsPerConnection`).
public final class TestConnection: TestRequestSending {
    let endpoint: Endpoint
    /// How long a request may take, from its first byte written to its response's last byte read.
    public let timeout: Duration
    /// Whether every response is checked with ``TestResponse/validate()`` before it is returned.
    public let validatesResponses: Bool
    let reconnects: Bool
    private let state = Locked<State>(State())

    private struct State: Sendable {
        var idle: ClientSocket?
        /// The socket has been opened once (a non-reconnecting connection opens one only).
        var opened = 0
        var busy = false
        var closed = false
    }

    init(endpoint: Endpoint, timeout: Duration, validatesResponses: Bool, reconnects: Bool) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.validatesResponses = validatesResponses
        self.reconnects = reconnects
    }

    deinit { close() }

    /// How many sockets this connection has opened: 1 while the server keeps it alive.
    public var socketsOpened: Int { state.withLock { $0.opened } }

    /// Closes the socket; later requests throw.
    public func close() {
        let socket = state.withLock { state -> ClientSocket? in
            state.closed = true
            defer { state.idle = nil }
            return state.idle
        }
        socket?.close()
    }

    public func execute(
        _ method: HTTPMethod, _ target: String, headers: TestRequestHeaders, body: [UInt8]?, chunkSize: Int?
    ) async throws -> TestResponse {
        let request = try RequestBytes.make(method, target, headers: headers, body: body, chunkSize: chunkSize)
        let responses = try await exchange(request, expecting: [Expectation(method: method)], allowFewer: false, complete: true)
        guard let response = responses.first else { throw TestClientError.connectionClosed(receivedBytes: 0) }
        if validatesResponses { try response.validate() }
        return response
    }

    public func send(raw bytes: [UInt8], responses count: Int?) async throws -> [TestResponse] {
        var (expectations, complete) = RequestBytes.expectations(of: bytes)
        if let count {
            expectations = (0..<count).map { $0 < expectations.count ? expectations[$0] : Expectation(method: .get) }
        }
        return try await exchange(
            bytes, expecting: expectations, allowFewer: count == nil, complete: count == nil && complete,
            foldInterim: count == nil)
    }

    /// Takes the socket (or opens one), runs the exchange on a thread of its own, and keeps the socket for
    /// the next request if the server will go on with it.
    func exchange(
        _ request: [UInt8], expecting: [Expectation], allowFewer: Bool, complete: Bool, foldInterim: Bool = true
    ) async throws(TestClientError) -> [TestResponse] {
        let taken = try take()
        let endpoint = endpoint
        let timeout = timeout
        let outcome: ([TestResponse], ClientSocket?)
        do throws(TestClientError) {
            outcome = try await onOwnThread { () throws(TestClientError) -> ([TestResponse], ClientSocket?) in
                let deadline = MonotonicClock.milliseconds() + timeout.milliseconds
                let socket: ClientSocket
                switch taken {
                case .socket(let idle): socket = idle
                case .open: socket = try endpoint.connect(deadline: deadline, timeout: timeout)
                }
                do throws(TestClientError) {
                    let responses = try Exchange.run(
                        on: socket, request: request, expecting: expecting, allowFewer: allowFewer, complete: complete,
                        foldInterim: foldInterim, timeout: timeout)
                    let closing = responses.count < expecting.count
                        || (responses.last?.asksToClose ?? false)
                    if closing || socket.peerClosed || socket.sendFailed {
                        socket.close()
                        return (responses, nil)
                    }
                    return (responses, socket)
                } catch {
                    socket.close()
                    throw error
                }
            }
        } catch {
            putBack(nil, opened: taken.isOpen)
            throw error
        }
        putBack(outcome.1, opened: taken.isOpen)
        return outcome.0
    }

    private enum Taken: Sendable {
        case socket(ClientSocket)
        case open
        var isOpen: Bool { if case .open = self { true } else { false } }
    }

    /// The idle socket if it is still good, else permission to open one.
    private func take() throws(TestClientError) -> Taken {
        enum Decision: Sendable { case reuse(ClientSocket), open, fail(TestClientError) }
        let decision = state.withLock { state -> Decision in
            guard !state.closed else { return .fail(.system("the connection was closed")) }
            if let idle = state.idle {
                state.idle = nil
                state.busy = true
                return .reuse(idle)
            }
            if state.busy, !reconnects { return .fail(.invalidRequest("a TestConnection sends one request at a time")) }
            guard reconnects || state.opened == 0 else { return .fail(.connectionClosed(receivedBytes: 0)) }
            state.busy = true
            return .open
        }
        let idle: ClientSocket?
        switch decision {
        case .fail(let error): throw error
        case .open: idle = nil
        case .reuse(let socket): idle = socket
        }
        if let idle {
            // Closed while idle (a keep-alive timeout, a drain): open another if allowed. Bytes waiting
            // before anything was asked belong to no request: the previous response overran its framing.
            idle.receiveAvailable()
            if idle.complete, !idle.buffer.isEmpty {
                let count = idle.buffer.count
                idle.close()
                releaseBusy()
                throw .malformedResponse("\(count) bytes arrived after the previous response, before this request")
            }
            if !idle.peerClosed { return .socket(idle) }
            idle.close()
            guard reconnects else {
                releaseBusy()
                throw .connectionClosed(receivedBytes: 0)
            }
        }
        return .open
    }

    private func releaseBusy() {
        state.withLock { $0.busy = false }
    }

    private func putBack(_ socket: ClientSocket?, opened: Bool) {
        let surplus = state.withLock { state -> ClientSocket? in
            if opened { state.opened += 1 }
            state.busy = false
            guard let socket, !state.closed, state.idle == nil else { return socket }
            state.idle = socket
            return nil
        }
        surplus?.close()
    }
}
