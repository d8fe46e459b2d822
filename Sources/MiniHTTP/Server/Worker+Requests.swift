/// Reading requests off a connection's buffer and answering them, in order.
extension Worker {
    /// Output beyond this stops parsing until it is written: a client that pipelines without reading
    /// cannot make the server buffer without bound.
    static let outputHighWater = 256 * 1024

    /// Answers every complete request that is buffered, writes the answers, and repeats while progress is
    /// possible; then sets the deadline that fits what the connection is waiting for.
    func drive(_ connection: Connection) {
        while !connection.isClosed {
            let paused = handleRequests(connection)
            if connection.isClosed { return }
            let flushed = flush(connection)
            // (The phase test first: it is a plain comparison, where reading the optional costs a retain.)
            if case .streaming = connection.phase, connection.streamAcknowledgement != nil {
                releaseStreamProducerIfRoom(connection)
            }
            guard flushed else { break }
            if connection.closeAfterOutput {
                finishClose(connection)
                return
            }
            if connection.socketMayHaveInput {
                // A streamed body's bytes are read when its handler asks for them, not before.
                if case .streamingBody = connection.phase, connection.bodyDemand == nil { break }
                guard readInput(connection) else { return }
                continue
            }
            if !paused { break }
        }
        guard !connection.isClosed, !connection.outputBlocked else { return }
        settle(connection)
    }

    /// After the work an event allowed: close if the client finished and nothing is left to answer,
    /// release buffers while idle, and set the deadline.
    private func settle(_ connection: Connection) {
        if case .streamingBody = connection.phase {
            // Waiting for the client's bytes is timed; waiting for the handler to ask for more is not.
            arm(connection, connection.bodyDemand != nil ? .timeout(.body) : .none)
            return
        }
        if connection.peerFinished {
            // RFC 9112 §9.6: the client may half-close after its requests; all complete ones are answered.
            counters.closedByPeer += 1
            close(connection)
            return
        }
        switch connection.phase {
        case .head where connection.bufferedInput == 0:
            releaseBuffers(connection)
            if connection.deadlineKind != .timeout(.idle) { arm(connection, .timeout(.idle)) }
        case .head:
            // The header timeout runs from the first byte of the head, not from the latest one.
            if connection.deadlineKind != .timeout(.header) { arm(connection, .timeout(.header)) }
        case .body, .chunked:
            arm(connection, .timeout(.body))
        case .closing, .awaitingResponse, .streamingBody:
            break
        case .streaming:
            // Between parts the producer sets the pace; only a client that stops reading times out (write).
            if connection.deadlineKind != .none { arm(connection, .none) }
        }
    }

    /// Parses and answers buffered requests until input runs out or output is too far ahead.
    /// Returns true when it paused because of output (there may be more to do once it is written).
    private func handleRequests(_ connection: Connection) -> Bool {
        while !connection.isClosed {
            if connection.output.count - connection.outputSent >= Self.outputHighWater || connection.tail != nil {
                return true
            }
            switch connection.phase {
            case .closing, .awaitingResponse, .streaming:
                return false
            case .streamingBody:
                feedBody(connection)
                return false
            case .head:
                guard connection.bufferedInput > 0 else { return false }
                if connection.awaitingProxyHeader {
                    guard takeProxyHeader(connection) else { return false }
                    continue
                }
                let result = connection.input.withUnsafeBytes { raw in
                    connection.parser.parse(
                        UnsafeRawBufferPointer(rebasing: raw[connection.inputStart..<connection.inputEnd]),
                        into: &connection.head)
                }
                switch result {
                case .incomplete:
                    return false
                case .failed(let error):
                    respondWithError(connection, status: error.status)
                    return false
                case .complete:
                    connection.requestStartMicros = nowMicros
                    if !context.trustedProxies.isEmpty { resolveForwardedClient(connection) }
                    if context.routes.largestStreamedBody != nil, connection.head.framing != .none {
                        // Streaming-body routes raise the parser's limit; others keep maxBodyBytes.
                        if beginStreamingBody(connection) { continue }
                        if case .length(let length) = connection.head.framing, length > context.limits.maxBodyBytes {
                            respondWithError(connection, status: .contentTooLarge)
                            return false
                        }
                    }
                    switch connection.head.framing {
                    case .none: dispatch(connection, bodyLength: 0)
                    case .length(let length): connection.phase = .body(length)
                    case .chunked:
                        connection.phase = .chunked
                        connection.chunkedDecoder = ChunkedDecoder(limits: context.limits)
                    }
                }
            case .body(let length):
                guard connection.bufferedInput >= connection.head.length + length else {
                    if answerExpectation(connection) { continue }
                    return false
                }
                dispatch(connection, bodyLength: length)
            case .chunked:
                guard decodeChunks(connection) else { return false }
            }
        }
        return false
    }

    /// Feeds the buffered body bytes to the chunked decoder. The raw chunk bytes are dropped from the
    /// buffer as they are decoded, so the buffer holds the head and whatever follows the body.
    /// Returns true when the request was answered (or failed) and parsing may go on.
    private func decodeChunks(_ connection: Connection) -> Bool {
        let bodyStart = connection.inputStart + connection.head.length
        guard var decoder = connection.chunkedDecoder else { return false }
        let result = connection.input.withUnsafeBytes { raw in
            decoder.decode(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<connection.inputEnd]),
                           into: &connection.chunkedBody)
        }
        connection.chunkedDecoder = decoder
        switch result {
        case .needMore:
            connection.inputEnd = bodyStart
            return answerExpectation(connection)
        case .failed(let error):
            respondWithError(connection, status: error.status)
            return true
        case .done(let consumed):
            // Slide whatever follows the body (a pipelined request) up against the head.
            connection.removeInput(at: bodyStart, count: consumed)
            dispatch(connection, bodyLength: 0)
            return true
        }
    }

    /// `Expect: 100-continue` (RFC 9110 §10.1.1): invite the body only if the request will be accepted.
    /// A request that its route refuses whatever its body (404, 405) is answered at once instead, without
    /// reading the body — and the connection then closes, since the unread body cannot be told apart from
    /// a next request. Returns true when it answered (the caller goes on to the closing phase).
    private func answerExpectation(_ connection: Connection) -> Bool {
        guard connection.head.expectsContinue, !connection.sentContinue, connection.head.version == .http1_1
        else { return false }
        connection.sentContinue = true
        prepareOutput(connection)
        if let refusal = refusalRegardlessOfBody(connection) {
            let sent = encode(refusal, on: connection, keepAlive: false)
            log(connection, status: refusal.status, bodyBytes: sent)
            connection.requestsServed += 1
            connection.phase = .closing
            connection.closeAfterOutput = true
            connection.lingerOnClose = true
            return true
        }
        connection.output.append(contentsOf: ResponseEncoder.continueLine)
        return false
    }

    /// The answer a request gets whatever its body: no route for its path, or not for its method.
    private func refusalRegardlessOfBody(_ connection: Connection) -> Response? {
        let head = connection.head
        guard head.targetForm == .origin || head.targetForm == .absolute else { return nil }
        let request = Request(head: head, bytes: connection.input, base: connection.inputStart, body: [],
                              remoteAddress: connection.forwardedClient?.text ?? connection.remoteAddress,
                              clientAddress: connection.forwardedClient?.address ?? connection.clientAddress)
        let match = head.path.isEmpty
            ? context.routes.match(head.method, path: 0..<1, in: Self.rootPath)
            : context.routes.match(head.method, path: request.shifted(head.path), in: connection.input)
        switch match {
        case .handler:
            return nil
        case .methodNotAllowed(let allowed):
            return Self.methodNotAllowed(allowed)
        case .notFound:
            // Static files take no body: whatever they answer, they answer without it.
            if head.method == .get || head.method == .head { return nil }
            return context.routes.fallback?.respond(to: request) ?? .text("Not Found\n", status: .notFound)
        }
    }

    /// Routes the complete request at `inputStart`, encodes its response, and consumes it — or, for an
    /// async handler, parks the connection until the response comes back (`resume`).
    private func dispatch(_ connection: Connection, bodyLength: Int) {
        guard let response = respond(connection, bodyLength: bodyLength) else {
            connection.phase = .awaitingResponse(bodyLength: bodyLength)
            return
        }
        complete(connection, with: response, bodyLength: bodyLength)
    }

    /// Encodes the response to the request at `inputStart` and consumes that request.
    func complete(_ connection: Connection, with response: Response, bodyLength: Int) {
        var response = response
        if response.compress { compressIfAccepted(&response, connection) }
        let isHTTP11 = connection.head.version == .http1_1
        // From the moment a drain is announced (its delay included), every response says close, so clients
        // and load balancers move their next requests elsewhere before this server stops accepting.
        // A streamed body to an HTTP/1.0 client ends with the connection.
        let keepAlive = connection.head.wantsKeepAlive && !isDraining && !context.status.isDraining
            && connection.phase != .closing
            && connection.requestsServed + 1 < context.maxRequestsPerConnection
            && (isHTTP11 || !response.body.isStream)
        let sent = encode(response, on: connection, keepAlive: keepAlive)
        log(connection, status: response.status, bodyBytes: sent)
        connection.requestsServed += 1
        if case .stream(let source) = response.body.storage, !response.status.forbidsBody,
           connection.head.method != .head {
            connection.finishRequest(consumed: connection.head.length + bodyLength)
            connection.phase = .streaming(keepAlive: keepAlive, chunked: isHTTP11)
            startStream(source, on: connection)
            return
        }
        if !keepAlive {
            connection.phase = .closing
            connection.closeAfterOutput = true
        }
        connection.finishRequest(consumed: connection.head.length + bodyLength)
    }

    /// A handler asked for compression: gzip the body if the client accepts it and its size is within
    /// `gzip.minBytes`...`gzip.maxBytes`.
    private func compressIfAccepted(_ response: inout Response, _ connection: Connection) {
        let gzip = context.gzip
        guard gzip.enabled, !response.status.forbidsBody, (gzip.minBytes...gzip.maxBytes).contains(response.body.count)
        else { return }
        let headers = Headers(bytes: connection.input, base: connection.inputStart, fields: connection.head.fields)
        guard Gzip.isAccepted(by: headers.valueBytes("accept-encoding")) else { return }
        let compressed: [UInt8]?
        switch response.body.storage {
        case .bytes(let bytes): compressed = Gzip.compress(bytes, level: gzip.level)
        case .string(let string): compressed = Gzip.compress(string.utf8, level: gzip.level)
        case .slice(let slice): compressed = Gzip.compress(slice, level: gzip.level)
        case .empty, .file, .fileRegion, .stream: compressed = nil
        }
        guard let compressed else { return }
        response.body = .bytes(compressed)
        response.fieldBlock += Self.gzipFields
    }

    static let gzipFields = Array("Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n".utf8)

    /// Runs the route (or the fallback); a thrown error is logged and answered 500. Returns nil when an
    /// async handler was started: its response comes later.
    private func respond(_ connection: Connection, bodyLength: Int) -> Response? {
        let head = connection.head
        let bodyStart = connection.inputStart + head.length
        let body: ArraySlice<UInt8> = connection.phase == .chunked
            ? connection.chunkedBody[...]
            : connection.input[bodyStart..<(bodyStart + bodyLength)]
        var request = Request(
            head: head, bytes: connection.input, base: connection.inputStart, body: body,
            remoteAddress: connection.forwardedClient?.text ?? connection.remoteAddress,
            clientAddress: connection.forwardedClient?.address ?? connection.clientAddress)
        if head.method == .connect { return Self.methodNotAllowedForConnect }
        if head.targetForm == .asterisk {  // OPTIONS * (RFC 9110 §9.3.7)
            return Response(status: .noContent, headers: [HTTPField(name: "Allow", value: Self.allMethods)])
        }
        let match = head.path.isEmpty  // absolute-form without a path: "/" (RFC 9112 §3.2.2)
            ? context.routes.match(head.method, path: 0..<1, in: Self.rootPath)
            : context.routes.match(head.method, path: request.shifted(head.path), in: connection.input)
        do {
            switch match {
            case .handler(.sync(let handler), let parameters):
                request.parameters = parameters
                return try handler(request)
            case .handler(.async(let handler), let parameters),
                 .handler(.asyncStreamingBody(let handler, _), let parameters):  // a request without a body
                request.parameters = parameters
                start(handler, request, on: connection)
                return nil
            case .methodNotAllowed(let allowed):
                if head.method == .options {
                    let allow = allowed.map(\.description).joined(separator: ", ")
                    return Response(status: .noContent, headers: [HTTPField(name: "Allow", value: allow)])
                }
                return Self.methodNotAllowed(allowed)
            case .notFound:
                if let files = context.routes.fallback { return files.respond(to: request, cache: fileCache, now: now) }
                return .text("Not Found\n", status: .notFound)
            }
        } catch {
            logger.error("handler for \(request.method) \(request.rawPath) threw: \(error)")
            return .text("Internal Server Error\n", status: .internalServerError)
        }
    }

    static func methodNotAllowed(_ allowed: [HTTPMethod]) -> Response {
        Response(
            status: .methodNotAllowed, contentType: MediaType.plainText,
            headers: [HTTPField(name: "Allow", value: allowed.map(\.description).joined(separator: ", "))],
            body: .string("Method Not Allowed\n"))
    }

    static let rootPath: [UInt8] = [ASCII.slash]
    static let allMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
    static let methodNotAllowedForConnect = Response(
        status: .methodNotAllowed, contentType: MediaType.plainText,
        headers: [HTTPField(name: "Allow", value: allMethods)], body: .string("Method Not Allowed\n"))

    /// Answers a request that cannot be accepted, and closes the connection after it (with a lingering
    /// close, so the client reads the answer): nothing after the error is parsed.
    func respondWithError(_ connection: Connection, status: Status) {
        let response = Response.text("\(status.reason)\n", status: status)
        let sent = encode(response, on: connection, keepAlive: false)
        if connection.phase == .head { connection.requestStartMicros = nowMicros }
        log(connection, status: status, bodyBytes: sent)
        connection.phase = .closing
        connection.closeAfterOutput = true
        connection.lingerOnClose = true
    }
}
