import Glibc
import Testing
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting

/// Honest failures and links (issue 12, items 10 and 16; issue 11's low items): an open that fails for
/// another reason than absence is not a cacheable 404; links are followed as nginx does, never out of the
/// folder nor into a dot-folder.
@Suite("Static files: honest failures and symlinks", .serialized)
struct HonestFailuresTests {
    func get(_ client: TestClient, _ path: String) throws -> TestClient.Response {
        try client.request("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
    }

    /// A Unix-domain socket bound at `path`: a file that exists but that `open` refuses (ENXIO).
    static func bindSocket(at path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return fd
    }

    @Test("a file that exists but cannot be opened (ENXIO) is 500, not a cacheable 404")
    func openFailureIs500() throws {
        let server = try TestServer()
        let fd = Self.bindSocket(at: server.publicFolder.path + "/socket.txt")
        defer { close(fd) }
        let response = try get(server.client(), "/socket.txt")
        #expect(response.status == 500)
        #expect(try get(server.client(), "/missing.txt").status == 404)
    }

    @Test("an index file that exists but cannot be opened is 500, never replaced by a listing")
    func unopenableIndex() throws {
        let server = try TestServer(configure: { $0.directoryListing = true })
        server.publicFolder.write("dir/other.txt", "x")
        let fd = Self.bindSocket(at: server.publicFolder.path + "/dir/index.html")
        defer { close(fd) }
        let response = try get(server.client(), "/dir/")
        #expect(response.status == 500)
        #expect(!response.text.contains("other.txt"))
        server.publicFolder.write("plain/other.txt", "x")
        #expect(try get(server.client(), "/plain/").text.contains("other.txt"))  // no index at all: the listing
    }

    @Test("a directory that cannot be read gives no listing (500), never an empty one")
    func unreadableDirectory() throws {
        let folder = TemporaryDirectory()
        let notADirectory = try #require(OpenFile(path: folder.write("file.txt", "x")))
        #expect(DirectoryListing.response(directory: notADirectory, urlPath: "/file.txt/") == nil)
        let directory = try #require(OpenFile(path: folder.path))
        #expect(DirectoryListing.response(directory: directory, urlPath: "/")?.status == .ok)
    }

    @Test("open errors map as nginx's: absent 404, forbidden 403, anything else 500", arguments: [
        (ENOENT, 404), (ENOTDIR, 404), (ENAMETOOLONG, 404), (ELOOP, 404), (EXDEV, 404),
        (EACCES, 403), (EPERM, 403), (EMFILE, 500), (ENFILE, 500), (ENOMEM, 500), (EIO, 500), (ENXIO, 500),
    ])
    func errorStatuses(_ code: Int32, _ status: Int) {
        #expect(PublicFolder.status(forOpenError: code).code == status)
    }

    @Test("openat2 refused at start-up (EPERM from a seccomp filter, ENOSYS) is a start-up error naming it",
          arguments: [EPERM, ENOSYS, EACCES])
    func probeRefused(_ code: Int32) throws {
        let folder = TemporaryDirectory()
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        #expect(throws: SystemError.self) {
            try PublicFolder.probe(fd) { _, _, _ in
                errno = code
                return -1
            }
        }
        do {
            try PublicFolder.probe(fd) { _, _, _ in
                errno = code
                return -1
            }
        } catch {
            #expect(error.errno == code)
            #expect(error.call.hasPrefix("openat2"))
            if code == EPERM { #expect(error.call.contains("seccomp")) }
        }
    }

    // MARK: Symlinks

    @Test("absolute symlinks that resolve inside the folder are followed; those that leave it are not", arguments: [
        ("/abs-file.txt", 200), ("/abs-dir/page.txt", 200), ("/abs-root/docs/page.txt", 200), ("/abs-chain.txt", 200),
        ("/abs-outside.txt", 404), ("/abs-outside-dir/secret.txt", 404), ("/abs-prefix.txt", 404),
        ("/abs-dotfile.txt", 404), ("/abs-dotdir/key.txt", 404),
    ])
    func absoluteLinks(_ path: String, _ status: Int) throws {
        let server = try TestServer()
        let root = server.publicFolder
        let outside = TemporaryDirectory()
        outside.write("secret.txt", "outside")
        root.write("docs/page.txt", "inside")
        root.write(".private/key.txt", "hidden")
        root.write(".env", "hidden")
        root.symlink("abs-file.txt", to: root.path + "/docs/page.txt")
        root.symlink("abs-dir", to: root.path + "/docs")
        root.symlink("abs-root", to: root.path)
        root.symlink("rel.txt", to: "docs/page.txt")
        root.symlink("abs-chain.txt", to: root.path + "/rel.txt")
        root.symlink("abs-outside.txt", to: outside.path + "/secret.txt")
        root.symlink("abs-outside-dir", to: outside.path)
        root.symlink("abs-prefix.txt", to: root.path + "-sibling/x.txt")  // shares the folder's name as a prefix
        root.symlink("abs-dotfile.txt", to: root.path + "/.env")
        root.symlink("abs-dotdir", to: root.path + "/.private")
        let response = try get(server.client(), path)
        #expect(response.status == status)
        if status == 200 { #expect(response.text == "inside") }
    }

    @Test("a relative symlink into a dot-folder or to a dot-file is refused, however reached", arguments: [
        "/pub/key.txt", "/env.txt", "/docs/up/.private/key.txt", "/docs/back/key.txt",
    ])
    func relativeLinksToDotFiles(_ path: String) throws {
        let server = try TestServer()
        let root = server.publicFolder
        root.write(".private/key.txt", "hidden")
        root.write(".env", "hidden")
        root.write("docs/page.txt", "inside")
        root.symlink("pub", to: ".private")
        root.symlink("env.txt", to: ".env")
        root.symlink("docs/up", to: "..")
        root.symlink("docs/back", to: "../.private")
        #expect(try get(server.client(), path).status == 404)
    }

    @Test("a symlink loop is 404, and a relative link that stays inside still works")
    func loopsAndRelativeLinks() throws {
        let server = try TestServer()
        let root = server.publicFolder
        root.write("docs/page.txt", "inside")
        root.symlink("loop-a", to: "loop-b")
        root.symlink("loop-b", to: "loop-a")
        root.symlink("docs/again", to: "../docs")
        let client = try server.client()
        #expect(try get(client, "/loop-a").status == 404)
        #expect(try get(client, "/docs/again/again/page.txt").text == "inside")
    }
}
