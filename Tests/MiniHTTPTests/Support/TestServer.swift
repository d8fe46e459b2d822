import Glibc
import Logging
@testable import MiniHTTP

/// A server started in-process on an ephemeral loopback port, with a temporary public folder.
final class TestServer {
    let server: Server
    let publicFolder = TemporaryDirectory()
    var port: Int { server.port }

    init(configure: (inout ServerConfig) -> Void = { _ in }, routes: (inout Router) -> Void = { _ in }) throws {
        publicFolder.write("index.html", "<!doctype html><title>test</title><h1>hello</h1>")
        publicFolder.write("assets/app.js", "console.log('hi')")
        var config = ServerConfig()
        config.host = "127.0.0.1"
        config.port = 0
        config.workers = 2
        config.publicDirectory = publicFolder.path
        config.accessLog = false
        configure(&config)
        var router = Router()
        routes(&router)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        server = try Server(configuration: config, router: router, logger: logger)
        try server.start()
    }

    func client(timeoutSeconds: Int = 5) throws -> TestClient {
        try TestClient(port: port, timeoutSeconds: timeoutSeconds)
    }

    /// Shuts down and waits for the workers.
    func stop() {
        server.shutdown()
        server.wait()
    }

    deinit { stop() }

    /// The process's open descriptors.
    static func openDescriptorCount() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return -1 }
        defer { closedir(directory) }
        var count = 0
        while readdir(directory) != nil { count += 1 }
        return count - 3  // ".", "..", and the directory stream itself
    }

    /// Polls `condition` every 10 ms for up to `seconds`.
    static func eventually(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = MonotonicClock.milliseconds() + Int64(seconds * 1000)
        while MonotonicClock.milliseconds() < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}
