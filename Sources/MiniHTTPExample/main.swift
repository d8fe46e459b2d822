import Glibc
import MiniHTTP

// The README's embedding example, compiled here so it cannot rot; also the benchmark's code-route server
// (`/plain`, and `/api/v1/plain` behind a group and CORS).
// Usage: MiniHTTPExample [config.json]
var config = ServerConfig()
if CommandLine.arguments.count > 1 {
    do {
        config = try ServerConfig.load(from: CommandLine.arguments[1])
    } catch {
        print("MiniHTTPExample: \(error)")
        exit(2)
    }
}

var router = Router()
router.get("/plain") { _ in
    .text("Hello, World!")
}
router.get("/hello/:name") { request in
    .text("Hello, \(request.parameters["name"] ?? "stranger")!\n")
}
router.post("/echo") { request in
    .bytes(Array(request.body), contentType: request.headers["content-type"] ?? "application/octet-stream")
}
router.get("/slow/:ms") { request async throws -> Response in
    let milliseconds = min(Int(request.parameters["ms"] ?? "") ?? 100, 5_000)
    try await Task.sleep(for: .milliseconds(milliseconds))  // stands in for a database call
    return .text("waited \(milliseconds) ms\n")
}

// An API beneath /api/v1 that pages of https://app.example may call: the benchmark's code route behind a
// group prefix and CORS (still no allocation per request).
do {
    let cors = try CORS(allowOrigins: .list(["https://app.example"]))
    router.group("/api/v1") { api in
        api.add(middleware: cors)
        api.get("/plain") { _ in
            .text("Hello, World!")
        }
    }
} catch {
    print("MiniHTTPExample: \(error)")
    exit(1)
}

do {
    let server = try Server(configuration: config, router: router)
    print("serving \(server.localURL)")
    try server.run()
} catch {
    print("MiniHTTPExample: \(error)")
    exit(1)
}
