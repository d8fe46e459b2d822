import MiniHTTPCore
import MiniHTTPRouting

/// The public folder first, then the application's fallback: a path that names a file is that file; one
/// that names nothing (the folder's own 404) goes to `fallback` — a custom 404 page, a catch-all. So a
/// fallback set in code never hides the static files.
struct StaticFirst: Responder {
    let files: StaticFiles
    let fallback: any Responder

    func respond(to request: Request) throws -> Response {
        let response = files.respond(to: request)
        guard response.status == .notFound, response.isCannedError else { return response }
        return try fallback.respond(to: request)
    }
}
