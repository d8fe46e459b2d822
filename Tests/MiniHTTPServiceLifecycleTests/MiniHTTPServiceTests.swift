import Foundation
import Glibc
import Logging
import MiniHTTP
import MiniHTTPServiceLifecycle
import ServiceLifecycle
import Testing

/// A service that finishes when graceful shutdown reaches it, as an application's other services do.
struct NeighbourService: Service {
    func run() async throws {
        try await gracefulShutdown()
    }
}

@Suite("MiniHTTPService in a ServiceGroup")
struct MiniHTTPServiceTests {
    static func makeServer() throws -> Server {
        var config = ServerConfig()
        config.host = "127.0.0.1"
        config.port = 0
        config.workers = 1
        config.publicDirectory = nil
        config.accessLog = false
        var router = Router()
        router.get("/hello") { _ in .text("hello\n") }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try Server(configuration: config, router: router, logger: logger)
    }

    /// One GET over a fresh blocking connection (run off the cooperative pool); the status, or nil.
    static func status(port: Int, path: String) async -> Int? {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: get(port: port, path: path)) }  // blocking I/O off the pool
            thread.start()
        }
    }

    static func get(port: Int, path: String) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, Int32(MSG_NOSIGNAL)) == request.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 12 else { return nil }
        return Int(String(decoding: buffer[9..<12], as: UTF8.self))
    }

    @Test("the server serves inside a ServiceGroup and stops with the group's graceful shutdown")
    func gracefulShutdown() async throws {
        let server = try Self.makeServer()
        let port = server.port
        let group = ServiceGroup(
            services: [MiniHTTPService(server: server), NeighbourService()], logger: Logger(label: "group"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var served: Int?
            for _ in 0..<200 where served == nil {
                served = await Self.status(port: port, path: "/hello")
                if served == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(served == 200)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // The group returned only after the server stopped: nothing listens on the port any more.
        #expect(await Self.status(port: port, path: "/hello") == nil)
    }
}
