import Hummingbird

// HummingbirdPeer PORT DOCROOT: `GET /plain` and static files (FileMiddleware), on 127.0.0.1.
let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 8080 : 8080
let root = arguments.count > 2 ? arguments[2] : "public"

let router = Router()
router.add(middleware: FileMiddleware(root, searchForIndexHtml: true))
router.get("plain") { _, _ -> String in
    "Hello, World!"
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
