import Glibc
import Logging
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

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

    /// This process's descriptors that are TCP sockets with `port` at either end: the server's listener and
    /// connections, and test clients talking to it. Unlike a count of all descriptors, it is not disturbed
    /// by other tests running in parallel.
    static func socketDescriptors(port: Int) -> Int {
        var inodes = Set<String>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let file = fopen(table, "r") else { continue }
            defer { fclose(file) }
            var line = [CChar](repeating: 0, count: 512)
            while fgets(&line, Int32(line.count), file) != nil {
                let fields = String(nulTerminated: line).split(separator: " ")
                guard fields.count > 9 else { continue }
                let ports = [fields[1], fields[2]].compactMap { $0.split(separator: ":").last.flatMap { Int($0, radix: 16) } }
                if ports.contains(port) { inodes.insert(String(fields[9])) }
            }
        }
        return descriptorTargets().filter { link in
            link.hasPrefix("socket:[") && inodes.contains(String(link.dropFirst(8).dropLast()))
        }.count
    }

    /// This process's descriptors open on a file whose path ends with `suffix`.
    static func fileDescriptors(endingWith suffix: String) -> Int {
        descriptorTargets().filter { $0.hasSuffix(suffix) }.count
    }

    /// What each of this process's descriptors refers to (`/proc/self/fd/N` links): paths, `socket:[inode]`, …
    static func descriptorTargets() -> [String] {
        guard let directory = opendir("/proc/self/fd") else { return [] }
        defer { closedir(directory) }
        var targets: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var target = [CChar](repeating: 0, count: 4096)
            let length = readlink("/proc/self/fd/\(name)", &target, 4095)
            guard length > 0 else { continue }
            targets.append(String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return targets
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
