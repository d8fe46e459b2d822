import MiniHTTP

/// The todo API: `/api/v1/todos` (list with `?limit=&offset=`, create, read, update, delete) behind a
/// bearer key, open to a browser front end on `allowedOrigin` (CORS), with a `visits` cookie; the static
/// front end is served from the public folder by the server itself.
public func todoRouter(store: TodoStore, apiKey: String, allowedOrigin: String) throws -> Router {
    var router = Router()
    router.add(middleware: RequestID())
    let cors = try CORS(allowOrigins: .list([allowedOrigin]), exposeHeaders: ["X-Total-Count", "X-Request-ID"])
    router.group("/api/v1") { api in
        api.add(middleware: cors)
        api.add(middleware: BearerKey(apiKey))

        api.get("/todos") { request async throws -> Response in
            let page = try request.query(as: Page.self)
            let (todos, total) = await store.list(limit: min(page.limit ?? 50, 100), offset: max(page.offset ?? 0, 0))
            var response = Response.json(todos)
            response.headers["X-Total-Count"] = String(total)
            return response
        }
        api.post("/todos") { request async throws -> Response in
            let todo = await store.add(try request.decode(NewTodo.self))
            var response = Response.json(todo, status: .created)
            response.headers["Location"] = "/api/v1/todos/\(todo.id)"
            return response
        }
        api.get("/todos/:id") { request async throws -> Todo in
            guard let todo = await store.find(try request.parameters.require("id", as: Int.self)) else {
                throw HTTPError(.notFound, message: "no such todo")
            }
            return todo
        }
        api.patch("/todos/:id") { request async throws -> Todo in
            let change = try request.decode(TodoChange.self)
            guard let todo = await store.change(try request.parameters.require("id", as: Int.self), change) else {
                throw HTTPError(.notFound, message: "no such todo")
            }
            return todo
        }
        api.delete("/todos/:id") { request async throws -> Status in
            await store.remove(try request.parameters.require("id", as: Int.self)) ? .noContent : .notFound
        }
        api.get("/visits") { request in
            let visits = (Int(request.cookies["visits"] ?? "") ?? 0) + 1
            var response = Response.json(["visits": visits])
            response.setCookie(try SetCookie(name: "visits", value: String(visits), maxAge: 86_400, path: "/",
                                             httpOnly: true, sameSite: .lax))
            return response
        }
    }
    return router
}

/// Lets a request through when it carries `Authorization: Bearer <key>`; otherwise 401 with the
/// challenge (RFC 6750 §3). A CORS preflight carries no credentials, and the CORS middleware before this
/// one answers it.
struct BearerKey: Middleware {
    let expected: String

    init(_ key: String) { expected = "Bearer " + key }

    func handle(_ request: inout Request) throws -> Response? {
        guard request.headers["Authorization"] == expected else {
            throw HTTPError(.unauthorized, headers: [HTTPField(name: "WWW-Authenticate", value: "Bearer realm=\"todos\"")])
        }
        return nil
    }
}
