import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Answering a complete request: route it, run its handler (or start it, if async), queue the response
/// and consume the request.
extension Worker {
    /// The request at `inputStart`, as its handler sees it.
    func makeRequest(_ connection: Connection, body: ArraySlice<UInt8>) -> Request {
        Request(head: connection.head, bytes: connection.input, base: connection.inputStart, body: body,
                remoteAddress: connection.forwardedClient?.text ?? connection.remoteAddress,
                clientAddress: connection.forwardedClient?.address ?? connection.clientAddress,
                worker: WorkerLocality(index: index, now: now))
    }

    /// The route for the request's path (an absolute-form target without a path means "/", RFC 9112 §3.2.2).
    func match(_ request: Request) -> RouteTable.Match {
        let head = request.head
        switch head.targetForm {  // a switch, not `==`: across modules `==` is a generic call
        case .origin, .absolute: break
        case .authority, .asterisk: return .notFound(context.routes.rootScope)
        }
        if head.path.isEmpty { return context.routes.match(head.method, path: 0..<1, in: Self.rootPath) }
        return context.routes.match(head.method, path: request.shifted(head.path), in: request.bytes,
                                    query: head.query.map(request.shifted))
    }

    static let rootPath: [UInt8] = [ASCII.slash]

    /// Routes the complete request at `inputStart` (its body `bodyLength` bytes behind the head, or in
    /// `chunkedBody`) and answers it — or starts its async handler, whose answer comes back later
    /// (`resume`).
    func dispatch(_ connection: Connection, bodyLength: Int) {
        let bodyStart = connection.inputStart + connection.head.length
        let body: ArraySlice<UInt8> = connection.chunkedDecoder != nil
            ? connection.chunkedBody[...]
            : connection.input[bodyStart..<(bodyStart + bodyLength)]
        connection.bufferedBodyLength = bodyLength
        // The request lives only inside `route` (or its task): once the answer is queued, the connection's
        // buffers and head are reused in place, which a request still holding them would make copy.
        switch route(makeRequest(connection, body: body)) {
        case .response(let response):
            updateClock()  // a handler may have taken a while: deadlines and durations run from now
            answer(connection, with: response)
        case .asyncHandler(let handler, let request):
            start(handler, request, on: connection)
            _ = connection.state.on(.handlerStarted, now: now)
        }
    }

    enum Routed {
        case response(Response)
        case asyncHandler(AsyncHandler, Request)
    }

    /// Runs the route's handler, or gives the server's own answer. A handler's chain renders what its
    /// handler or middleware throws (the response keeps the error, logged here).
    private func route(_ request: consuming Request) -> Routed {
        switch self.match(request) {
        case .handler(.sync(let handler), let parameters):
            request.parameters = parameters
            let response = handler(&request)  // the worker's own request: middleware changes it in place
            if let error = response.error { log(error, response, request) }
            return .response(response)
        case .handler(.async(let handler), let parameters),
             .handler(.asyncStreamingBody(let handler, _), let parameters):  // a request without a body
            request.parameters = parameters
            return .asyncHandler(handler, request)
        case let other:
            return .response(serverAnswer(to: request, other) ?? CannedResponse.notFound)
        }
    }

    /// What the server answers itself, whatever the request's body: `CONNECT`, `OPTIONS`, 405, 404, a
    /// trailing-slash redirect and static files, each through the synchronous middleware of the scope that
    /// owns the path. nil when a route's handler answers (and may read the body).
    func serverAnswer(to request: Request, _ match: RouteTable.Match) -> Response? {
        let head = request.head
        let routes = context.routes
        if head.method == .connect {
            return routes.rootScope.answer(request) { _ in CannedResponse.methodNotAllowed(routes.methods) }
        }
        if head.targetForm == .asterisk {  // OPTIONS * (RFC 9110 §9.3.7): what the server as a whole allows
            return routes.rootScope.answer(request) { _ in CannedResponse.options(routes.methods) }
        }
        let response: Response
        switch match {
        case .handler:
            return nil
        case .methodNotAllowed(let allowed, let scope):
            response = scope.answer(request) { request in
                request.method == .options ? CannedResponse.options(allowed) : CannedResponse.methodNotAllowed(allowed)
            }
        case .redirect(let location, let scope):
            response = scope.answer(request) { _ in .redirect(to: location, status: .permanentRedirect) }
        case .notFound(let scope):
            response = scope.answer(request) { request in
                do {
                    guard let answer = try routes.fallbackAnswer(to: request) else {
                        return scope.notFound ?? CannedResponse.notFound
                    }
                    // The standard 404 (not one with a reason of its own) in the scope's format. `Status`'s
                    // `==` across modules is a generic call; a standard reason is the same test here.
                    if answer.status.code == 404, answer.status.hasStandardReason, let notFound = scope.notFound {
                        return notFound
                    }
                    return answer
                } catch {
                    var response = CannedResponse.internalServerError
                    response.error = error
                    return response
                }
            }
        }
        if let error = response.error { log(error, response, request) }
        return response
    }

    /// Logs the error a response was rendered from: a server error as an error, a client's as debug.
    func log(_ error: any Error, _ response: Response, _ request: Request) {
        if response.status.code >= 500 {
            logger.error("\(request.method) \(request.rawPath) threw: \(error)")
        } else {
            logger.debug("\(request.method) \(request.rawPath) threw: \(error)")
        }
    }

    /// Answers at once a request whose body no handler would read (no route takes it: 404, 405, static
    /// files, `OPTIONS`), without buffering the body, and closes after it (a lingering close discards the
    /// rest): a body up to `maxBodyBytes` is kept in memory only for a handler. Returns true if it answered.
    func answerIgnoringBody(_ connection: Connection) -> Bool {
        let answer: Response? = {
            let request = makeRequest(connection, body: [])
            return serverAnswer(to: request, match(request))
        }()
        guard let answer else { return false }
        self.answer(connection, with: answer, close: true)
        return true
    }

    /// Queues the response to the request at `inputStart`, consumes the request, and moves the state on:
    /// to the next request, to a streamed body, or to closing. `close`: the request's body was not read,
    /// so nothing after it can be parsed (a lingering close follows).
    func answer(_ connection: Connection, with response: consuming Response, close: Bool = false) {
        resolveFiles(&response, connection)  // Response.file, error pages: Worker+Files
        if response.compress { compressIfAccepted(&response, connection) }
        let isHTTP11 = connection.head.version == .http1_1
        let isStream = response.body.isStream && !response.status.forbidsBody  // HEAD: the same head as GET
        // From the moment a drain is announced (its delay included), every response says close, so clients
        // and load balancers move their next requests elsewhere. A streamed body to HTTP/1.0 ends with the
        // connection.
        let keepAlive = !close && connection.head.wantsKeepAlive && !isDraining && !context.status.isDraining
            && connection.requestsServed + 1 < context.connections.maxRequestsPerConnection
            && (isHTTP11 || !isStream)
        let queued = queue(response, on: connection, keepAlive: keepAlive)
        connection.requestsServed += 1
        let consumed = close ? connection.head.length : connection.head.length + connection.bufferedBodyLength
        connection.finishRequest(consumed: consumed)
        if let stream = queued.stream {
            _ = connection.state.on(.responseStreamStarted(keepAlive: queued.staysOpen && !close, chunked: isHTTP11),
                                    now: now)
            startStream(stream, on: connection)
        } else if close {
            _ = connection.state.on(.refused, now: now)
        } else {
            let bytesFollow = skipEmptyLines(connection)
            _ = connection.state.on(.answered(keepAlive: queued.staysOpen, bytesFollow: bytesFollow), now: now)
        }
    }

    /// A handler asked for compression: gzip the body if the client accepts it and its size is within
    /// `gzip.minBytes`...`gzip.maxBytes`.
    private func compressIfAccepted(_ response: inout Response, _ connection: Connection) {
        let gzip = context.gzip
        guard gzip.enabled, !response.status.forbidsBody, (gzip.minBytes...gzip.maxBytes).contains(response.body.count)
        else { return }
        let headers = Headers(bytes: connection.input, base: connection.inputStart, fields: connection.head.fields)
        guard Gzip.isAccepted(by: headers) else { return }
        let compressed: [UInt8]?
        switch response.body.storage {
        case .bytes(let bytes): compressed = Gzip.compress(bytes, level: gzip.level)
        case .string(let string): compressed = Gzip.compress(string.utf8, level: gzip.level)
        case .slice(let slice): compressed = Gzip.compress(slice, level: gzip.level)
        case .empty, .file, .fileRegion, .stream, .staticFile: compressed = nil
        }
        guard let compressed else { return }
        response.body = .bytes(compressed)
        response.fieldBlock += Self.gzipFields
    }

    static let gzipFields = Array("Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n".utf8)

    /// Between requests, drops the empty lines a client may send after a body (RFC 9112 §2.2: a server
    /// ignores them) so that they neither start a head (and its header timeout) nor fill the buffer — at
    /// most `ParserLimits.maxLeadingEmptyLines` of them; more go to the parser, which refuses them (400).
    /// Returns true when the bytes left may begin a request.
    func skipEmptyLines(_ connection: Connection) -> Bool {
        while connection.bufferedInput >= 2, connection.input[connection.inputStart] == ASCII.carriageReturn,
              connection.input[connection.inputStart + 1] == ASCII.lineFeed,
              connection.emptyLinesSkipped < ParserLimits.maxLeadingEmptyLines {
            connection.inputStart += 2
            connection.emptyLinesSkipped += 1
        }
        if connection.inputStart == connection.inputEnd {
            connection.inputStart = 0
            connection.inputEnd = 0
        }
        // A lone CR may be the first half of another empty line.
        return connection.bufferedInput > 1
            || (connection.bufferedInput == 1 && connection.input[connection.inputStart] != ASCII.carriageReturn)
    }
}
