import FlyingFox
import Foundation

// FlyingFoxPeer PORT DOCROOT: `GET /plain` and static files (DirectoryHTTPHandler), on 127.0.0.1.
let arguments = CommandLine.arguments
let port = UInt16(arguments.count > 1 ? arguments[1] : "8080") ?? 8080
let root = arguments.count > 2 ? arguments[2] : "public"

let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: port))
await server.appendRoute("GET /plain") { _ in
    HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain"], body: Data("Hello, World!".utf8))
}
await server.appendRoute("GET /*", to: DirectoryHTTPHandler(root: URL(fileURLWithPath: root), serverPath: "/"))
try await server.run()
