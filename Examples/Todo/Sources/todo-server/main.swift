import Foundation
import MiniHTTP
import TodoAPI

// The todo API with its front end: `swift run todo-server` serves http://localhost:8081/ (the page in
// Examples/Todo/Public) and the API under /api/v1 with the key `TODO_API_KEY` (default "secret").
var configuration = ServerConfig()
configuration.port = 8081
configuration.publicDirectory = "Examples/Todo/Public"
let key = ProcessInfo.processInfo.environment["TODO_API_KEY"] ?? "secret"
do {
    let router = try todoRouter(store: TodoStore(), apiKey: key, allowedOrigin: "http://localhost:8081")
    let server = try Server(configuration: configuration, router: router)
    print("todo-server on http://localhost:\(server.port)/ (API key: \(key))")
    try server.run()
} catch {
    FileHandle.standardError.write(Data("todo-server: \(error)\n".utf8))
    exit(1)
}
