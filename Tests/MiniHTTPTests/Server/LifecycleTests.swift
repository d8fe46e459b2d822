import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

@Suite("Server lifecycle: threads, descriptors and signals are given back", .serialized)
struct LifecycleTests {
    final class Marker: Sendable {}

    @Test("the signal watcher's thread ends on stop() and lets go of its handler (and the server in it)")
    func signalWatcherStops() throws {
        weak var released: Marker?
        let watcher = SignalWatcher()
        do {
            let marker = Marker()
            released = marker
            try watcher.watch { _ in
                _ = marker
                return true
            }
        }
        #expect(released != nil)
        watcher.stop()
        #expect(released == nil)
    }

    @Test("a drain delay begun while wait() runs is joined by it; shutdown() cuts the delay short")
    func drainThreadJoined() throws {
        let test = try TestServer()
        let server = test.server
        let waiter = try PosixThread(name: "test-wait") { server.wait() }
        #expect(TestServer.eventually { server.unjoinedThreads == 0 })  // the waiter took the workers
        server.shutdown(afterSeconds: 600)
        #expect(server.unjoinedThreads == 1)  // the drain delay's thread
        server.shutdown()
        waiter.join()  // returns: the delay was cut short, and wait() joined its thread
        #expect(server.unjoinedThreads == 0)
    }

    @Test("a server's access log file is closed when the server goes")
    func accessLogClosed() throws {
        let folder = TemporaryDirectory()
        let name = "/lifecycle-\(getpid()).log"
        do {
            let server = try TestServer(configure: {
                $0.accessLog = true
                $0.accessLogPath = folder.path + name
            })
            #expect(try server.client().request("GET / HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
            #expect(TestServer.fileDescriptors(endingWith: name) == 1)
            server.stop()
        }
        #expect(TestServer.fileDescriptors(endingWith: name) == 0)
    }
}
