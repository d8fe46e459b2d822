import Synchronization
import Testing
@testable import MiniHTTPCore
@testable import MiniHTTPRouting

/// Records what middleware did, in order.
final class Trace: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// Records its hooks; answers early with `answer`, or throws, when told.
struct Recording: Middleware {
    let name: String
    let trace: Trace
    var answer: Response? = nil
    var fails = false

    func handle(_ request: inout Request) throws -> Response? {
        trace.add("\(name).handle")
        if fails { throw TestFailure.middleware }
        return answer
    }

    func finish(_ response: inout Response, for request: Request) {
        trace.add("\(name).finish \(response.status.code)")
        response.addHeader("X-Seen-By", name)
    }
}

struct RecordingAround: AsyncMiddleware {
    let name: String
    let trace: Trace

    func respond(to request: Request, next: (Request) async throws -> Response) async throws -> Response {
        trace.add("\(name).before")
        let response = try await next(request)
        trace.add("\(name).after \(response.status.code)")
        return response
    }
}

enum TestFailure: Error { case handler, middleware }

@Suite("Middleware")
struct MiddlewareTests {
    @Test("handle hooks run in the order added, finish hooks in reverse, router's before the group's")
    func order() async {
        let trace = Trace()
        var router = Router()
        router.get("/x") { _ in trace.add("handler"); return .text("x") }  // registered before the middleware
        router.add(middleware: Recording(name: "a", trace: trace))
        router.group("/g") { group in
            group.add(middleware: Recording(name: "c", trace: trace))
            group.get("/y") { _ in trace.add("handler"); return .text("y") }
        }
        router.add(middleware: Recording(name: "b", trace: trace))
        _ = await RouteRunner.respond(router, "/x")
        #expect(trace.all == ["a.handle", "b.handle", "handler", "b.finish 200", "a.finish 200"])
        let grouped = await RouteRunner.respond(router, "/g/y")
        #expect(trace.all.suffix(7) == ["a.handle", "b.handle", "c.handle", "handler",
                                        "c.finish 200", "b.finish 200", "a.finish 200"])
        #expect(grouped.values("X-Seen-By") == ["c", "b", "a"])
    }

    @Test("an early answer skips the handler and the inner middleware; the outer finish hooks see it")
    func earlyAnswer() async {
        let trace = Trace()
        var router = Router()
        router.add(middleware: Recording(name: "outer", trace: trace))
        router.add(middleware: Recording(name: "gate", trace: trace, answer: .text("no", status: .unauthorized)))
        router.add(middleware: Recording(name: "inner", trace: trace))
        router.get("/x") { _ in trace.add("handler"); return .text("x") }
        let response = await RouteRunner.respond(router, "/x")
        #expect(response.status == .unauthorized)
        #expect(trace.all == ["outer.handle", "gate.handle", "gate.finish 401", "outer.finish 401"])
    }

    @Test("a handler's error is rendered 500 inside the chain: every finish hook sees it, the error is kept")
    func handlerErrorSeenByFinish() async {
        let trace = Trace()
        var router = Router()
        router.add(middleware: Recording(name: "a", trace: trace))
        router.get("/x") { _ throws -> Response in throw TestFailure.handler }
        let response = await RouteRunner.respond(router, "/x")
        #expect(response.status == .internalServerError)
        #expect(response.bodyText == "Internal Server Error\n")
        #expect(trace.all == ["a.handle", "a.finish 500"])
        #expect(response.error as? TestFailure == .handler)
    }

    @Test("a middleware's error is rendered at its layer; outer finish hooks still run")
    func middlewareError() async {
        let trace = Trace()
        var router = Router()
        router.add(middleware: Recording(name: "outer", trace: trace))
        router.add(middleware: Recording(name: "failing", trace: trace, fails: true))
        router.get("/x") { _ in trace.add("handler"); return .text("x") }
        let response = await RouteRunner.respond(router, "/x")
        #expect(response.status == .internalServerError)
        #expect(trace.all == ["outer.handle", "failing.handle", "failing.finish 500", "outer.finish 500"])
        #expect(response.error as? TestFailure == .middleware)
    }

    @Test("a synchronous route stays synchronous behind sync middleware, and becomes async behind an async one")
    func promotion() async {
        let trace = Trace()
        var router = Router()
        router.add(middleware: Recording(name: "sync", trace: trace))
        router.get("/plain") { _ in .text("plain") }
        router.group("/awaiting") { group in
            group.add(middleware: RecordingAround(name: "around", trace: trace))
            group.get("/x") { _ in trace.add("handler"); return .text("x") }
        }
        let table = router.freeze()
        let plain = Array("/plain".utf8), awaiting = Array("/awaiting/x".utf8)
        guard case .handler(.sync, _) = table.match(.get, path: 0..<plain.count, in: plain) else {
            Issue.record("expected a synchronous route")
            return
        }
        guard case .handler(.async, _) = table.match(.get, path: 0..<awaiting.count, in: awaiting) else {
            Issue.record("expected the route behind an async middleware to be async")
            return
        }
        let response = await RouteRunner.respond(table, .get, "/awaiting/x")
        #expect(response.bodyText == "x")
        #expect(trace.all == ["sync.handle", "around.before", "handler", "around.after 200", "sync.finish 200"])
    }

    @Test("an async route's chain runs sync hooks and async middleware in order, errors rendered inside")
    func asyncChain() async {
        let trace = Trace()
        var router = Router()
        router.add(middleware: RecordingAround(name: "around", trace: trace))
        router.add(middleware: Recording(name: "sync", trace: trace))
        router.get("/fails") { _ async throws -> Response in throw TestFailure.handler }
        let response = await RouteRunner.respond(router, "/fails")
        #expect(response.status == .internalServerError)
        #expect(trace.all == ["around.before", "sync.handle", "sync.finish 500", "around.after 500"])
    }

    @Test("a middleware can change the request the handler sees")
    func changesRequest() async {
        struct Tag: Middleware {
            func handle(_ request: inout Request) throws -> Response? {
                request.requestIDSlot = "tagged"
                return nil
            }
        }
        var router = Router()
        router.add(middleware: Tag())
        router.get("/x") { request in .text(request.requestID ?? "none") }
        #expect(await RouteRunner.respond(router, "/x").bodyText == "tagged")
    }
}
