import Glibc
import MiniHTTP
import MiniHTTPTesting
import Testing

extension MiniHTTPTestingTests {
    @Suite("Cleanup: no descriptor or thread outlives a client") struct CleanupTests {
        @Test("50 in-process clients leave no socket, descriptor or thread behind")
        func inProcessClients() async throws {
            let before = Process.snapshot()
            for index in 0..<50 {
                let client = try TestClient(router: Fixture.router(), timeout: Fixture.timeout)
                let response = try await client.get("/async?n=\(index)")
                #expect(response.text == "async \(index)")
                let own = client.newConnection()
                let streamed = try await own.get("/stream")
                #expect(streamed.framing == .chunked(chunks: 3))
                await client.shutdown()
            }
            let after = Process.snapshot()
            // Tests of other targets run meanwhile and open and close a few sockets of their own: a leak
            // of even one descriptor per client (50 or more) stands far above that.
            #expect(after.unixSockets < before.unixSockets + 25, "Unix sockets: \(before.unixSockets) before, \(after.unixSockets) after")
            #expect(after.descriptors < before.descriptors + 25, "descriptors: \(before.descriptors) before, \(after.descriptors) after")
            #expect(after.testThreads == 0)
        }

        @Test("20 live clients leave no socket on their ports and no thread behind")
        func liveClients() async throws {
            var ports: [Int] = []
            for _ in 0..<20 {
                try await TestClient.live(router: Fixture.router(), timeout: Fixture.timeout) { client in
                    ports.append(client.port ?? 0)
                    _ = try await client.get("/hello")
                    _ = try await client.newConnection().get("/async")
                }
            }
            #expect(!ports.contains(0))
            #expect(Process.socketsOn(ports: Set(ports)) == 0)
            #expect(Process.snapshot().testThreads == 0)
        }

        @Test("a client dropped without shutdown() still stops its server")
        func dropped() async throws {
            do {
                let client = try TestClient(router: Fixture.router(), timeout: Fixture.timeout)
                _ = try await client.get("/hello")
                #expect(Process.snapshot().testThreads == 1)
            }
            var stopped = false
            for _ in 0..<500 where !stopped {
                stopped = Process.snapshot().testThreads == 0
                if !stopped { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(stopped)
        }

        @Test("a request after shutdown() fails")
        func afterShutdown() async throws {
            let client = try TestClient(router: Fixture.router(), timeout: Fixture.timeout)
            await client.shutdown()
            await #expect(throws: TestClientError.self) { try await client.get("/hello") }
            // The server has stopped: a new connection is refused, its descriptors closed.
            await #expect(throws: TestClientError.self) { try await client.newConnection().get("/hello") }
        }
    }
}

/// What the process holds, from /proc.
enum Process {
    struct Snapshot {
        var descriptors: Int
        var unixSockets: Int
        /// Threads of in-process servers (`minihttp-pN`) and of the test client (`minihttp-test`).
        var testThreads: Int
    }

    static func snapshot() -> Snapshot {
        let unixInodes = Set(lines("/proc/net/unix").dropFirst().compactMap { $0.split(separator: " ").dropFirst(6).first.map(String.init) })
        let targets = descriptorTargets()
        let unix = targets.filter { $0.hasPrefix("socket:[") && unixInodes.contains(String($0.dropFirst(8).dropLast())) }
        let names = entries("/proc/self/task").compactMap { lines("/proc/self/task/\($0)/comm").first }
        return Snapshot(
            descriptors: targets.count, unixSockets: unix.count,
            testThreads: names.filter { $0.hasPrefix("minihttp-p") || $0 == "minihttp-test" }.count)
    }

    /// Descriptors on TCP sockets whose local or remote port is one of `ports`.
    static func socketsOn(ports: Set<Int>) -> Int {
        var inodes: Set<String> = []
        for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
            for line in lines(file).dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9 else { continue }
                let linePorts = [fields[1], fields[2]].compactMap { $0.split(separator: ":").last.flatMap { Int($0, radix: 16) } }
                if linePorts.contains(where: ports.contains) { inodes.insert(String(fields[9])) }
            }
        }
        return descriptorTargets().filter { $0.hasPrefix("socket:[") && inodes.contains(String($0.dropFirst(8).dropLast())) }.count
    }

    static func descriptorTargets() -> [String] {
        entries("/proc/self/fd").compactMap { name in
            var target = [CChar](repeating: 0, count: 4096)
            let length = readlink("/proc/self/fd/\(name)", &target, 4095)
            guard length > 0 else { return nil }
            return String(decoding: target[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    static func entries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    static func lines(_ path: String) -> [String] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var out: [String] = []
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            out.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                .trimmingCharacters(in: "\n"))
        }
        return out
    }
}

private extension String {
    func trimmingCharacters(in character: Character) -> String {
        var copy = self
        while copy.last == character { copy.removeLast() }
        return copy
    }
}
