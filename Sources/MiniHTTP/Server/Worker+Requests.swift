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

    /// Reads the PROXY protocol header a trusted proxy sends first, and takes the client it names.
    /// Returns false while it is incomplete, or when it was invalid (answered 400; the connection closes).
    private func takeProxyHeader(_ connection: Connection) -> Bool {
        let result = connection.input.withUnsafeBytes { raw in
            ProxyProtocol.parse(UnsafeRawBufferPointer(rebasing: raw[connection.inputStart..<connection.inputEnd]))
        }
        switch result {
        case .incomplete:
            return false
        case .invalid:
            respondWithError(connection, status: .badRequest)
            return false
        case .header(let length, let source):
            connection.awaitingProxyHeader = false
            connection.finishRequest(consumed: length)
            if let source {
                connection.clientAddress = source
                connection.remoteAddress = source.description
            }
            return true
        }
    }

    /// From a trusted proxy, the client its `Forwarded` or `X-Forwarded-For` fields name (if any).
    private func resolveForwardedClient(_ connection: Connection) {
        guard context.trustedProxies.contains(connection.clientAddress) else { return }
        let found = connection.input.withUnsafeBytes { raw in
            ForwardedClient.resolve(
                UnsafeRawBufferPointer(rebasing: raw[connection.inputStart...]), fields: connection.head.fields,
                trusted: context.trustedProxies)
        }
        if let found, found != connection.clientAddress { connection.forwardedClient = (found, found.description) }
    }

    /// If the request's route streams its body, starts its handler now (the body follows as it asks) and
    /// returns true; a declared body over the route's limit is answered 413 at once.
    private func beginStreamingBody(_ connection: Connection) -> Bool {
        let head = connection.head
        guard head.targetForm == .origin || head.targetForm == .absolute, !head.path.isEmpty else { return false }
        var request = Request(
            head: head, bytes: connection.input, base: connection.inputStart, body: [],
            remoteAddress: connection.forwardedClient?.text ?? connection.remoteAddress,
            clientAddress: connection.forwardedClient?.address ?? connection.clientAddress)
        guard case .handler(.asyncStreamingBody(let handler, let maxBytes), let parameters) =
                context.routes.match(head.method, path: request.shifted(head.path), in: connection.input)
        else { return false }
        if case .length(let length) = head.framing, length > maxBytes {
            respondWithError(connection, status: .contentTooLarge)
            return true
        }
        if head.expectsContinue, head.version == .http1_1 {
            prepareOutput(connection)
            connection.output.append(contentsOf: ResponseEncoder.continueLine)
            connection.sentContinue = true
        }
        if case .length(let length) = head.framing {
            connection.phase = .streamingBody(remaining: length)
        } else {
            var limits = context.limits
            limits.maxBodyBytes = maxBytes
            connection.chunkedDecoder = ChunkedDecoder(limits: limits)
            connection.phase = .streamingBody(remaining: nil)
        }
        request.parameters = parameters
        request.streamSource = .streamed(handle: handle, token: connection.token)
        start(handler, request, on: connection)
        return true
    }

    /// A handler asks for the next chunk of its body: hand over what is buffered, or wait for the client.
    func bodyDemand(token: UInt64, _ demand: BodyDemand) {
        guard let connection = connection(for: token) else {
            demand.fail(StreamError.connectionClosed)
            return
        }
        guard case .streamingBody = connection.phase else {
            demand.end()  // the body is complete (or the exchange is over)
            return
        }
        connection.bodyDemand = demand
        if connection.outputBlocked {
            feedBody(connection)
        } else {
            drive(connection)
        }
    }

    /// Answers a pending body demand from the buffer: the next bytes, the end of the body, or an error.
    private func feedBody(_ connection: Connection) {
        guard let demand = connection.bodyDemand, case .streamingBody(let remaining) = connection.phase else { return }
        let bodyStart = connection.inputStart + connection.head.length
        var chunk: [UInt8] = []
        var complete = false
        if let remaining {
            let take = min(connection.inputEnd - bodyStart, remaining)
            if take > 0 {
                chunk = Array(connection.input[bodyStart..<(bodyStart + take)])
                removeInput(connection, at: bodyStart, count: take)
            }
            complete = remaining - take == 0
            if !complete { connection.phase = .streamingBody(remaining: remaining - take) }
        } else if var decoder = connection.chunkedDecoder {
            let result = connection.input.withUnsafeBytes { raw in
                decoder.decode(UnsafeRawBufferPointer(rebasing: raw[bodyStart..<connection.inputEnd]), into: &chunk)
            }
            connection.chunkedDecoder = decoder
            switch result {
            case .needMore:
                connection.inputEnd = bodyStart
            case .done(let consumed):
                removeInput(connection, at: bodyStart, count: consumed)
                complete = true
            case .failed(let error):
                connection.bodyDemand = nil
                demand.fail(error == .bodyTooLarge ? RequestBodyError.tooLarge : RequestBodyError.malformed)
                connection.pendingTask = nil  // its answer is this error response
                respondWithError(connection, status: error.status)
                return
            }
        }
        if complete {
            connection.chunkedDecoder = nil
            connection.phase = .awaitingResponse(bodyLength: 0)
        }
        if !chunk.isEmpty {
            connection.bodyDemand = nil
            demand.deliver(chunk)
        } else if complete {
            connection.bodyDemand = nil
            demand.end()
        } else if connection.peerFinished {
            connection.bodyDemand = nil
            demand.fail(StreamError.connectionClosed)
            close(connection)
        }
    }

    /// Drops `count` input bytes at `offset`, sliding what follows (a pipelined request) into their place.
    private func removeInput(_ connection: Connection, at offset: Int, count: Int) {
        let rest = connection.inputEnd - offset - count
        connection.input.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            base.advanced(by: offset).copyMemory(from: base + offset + count, byteCount: rest)
        }
        connection.inputEnd = offset + rest
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
            let rest = connection.inputEnd - bodyStart - consumed
            connection.input.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                base.advanced(by: bodyStart).copyMemory(from: base + bodyStart + consumed, byteCount: rest)
            }
            connection.inputEnd = bodyStart + rest
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
    private func complete(_ connection: Connection, with response: Response, bodyLength: Int) {
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

    /// An async handler's response arrived: write it, then go on with what the client pipelined behind it.
    /// A response for a connection that has closed meanwhile (or for another one that reuses its
    /// descriptor) is dropped.
    func resume(token: UInt64, sequence: Int, with response: Response) {
        guard let connection = connection(for: token), connection.requestsServed == sequence else { return }
        let bodyLength: Int
        switch connection.phase {
        case .awaitingResponse(let length):
            bodyLength = length
        case .streamingBody:
            // The handler answered before reading its whole body: answer, then close (the rest is unread).
            bodyLength = 0
            connection.bodyDemand?.fail(StreamError.connectionClosed)
            connection.bodyDemand = nil
            connection.chunkedDecoder = nil
            connection.phase = .closing
            connection.closeAfterOutput = true
            connection.lingerOnClose = true
        default:
            return
        }
        connection.pendingTask = nil
        if connection.phase != .closing { connection.phase = .head }
        complete(connection, with: response, bodyLength: bodyLength)
        drive(connection)
    }

    /// Runs a streamed body's producer as a task; its writes come back through this worker's mailbox.
    private func startStream(_ source: StreamSource, on connection: Connection) {
        let handle = self.handle
        let logger = self.logger
        let token = connection.token
        connection.pendingTask = Task {
            do {
                try await source.produce(BodyWriter(handle: handle, token: token))
                handle.send(.streamEnd(token: token, failed: false))
            } catch {
                if !(error is StreamError), !Task.isCancelled { logger.error("a streamed body failed: \(error)") }
                handle.send(.streamEnd(token: token, failed: true))
            }
        }
        arm(connection, .none)
    }

    /// Output a stream may have waiting before its producer is held back.
    static let streamHighWater = 64 * 1024

    /// The producer's next part: framed into the output and written; the producer may go on at once if
    /// the client keeps up, else once it has read enough. Refused if the connection has gone.
    func streamWrite(token: UInt64, _ bytes: [UInt8], _ acknowledgement: StreamAcknowledgement) {
        guard let connection = connection(for: token), case .streaming(_, let chunked) = connection.phase else {
            acknowledgement.refused()
            return
        }
        prepareOutput(connection)
        if chunked {
            ResponseEncoder.appendChunk(bytes, to: &connection.output)
        } else {
            connection.output.append(contentsOf: bytes)
        }
        connection.streamAcknowledgement = acknowledgement
        if connection.outputBlocked {
            releaseStreamProducerIfRoom(connection)
        } else {
            drive(connection)
        }
    }

    /// Lets a waiting producer go on once the unsent output is below the high-water mark.
    func releaseStreamProducerIfRoom(_ connection: Connection) {
        guard let acknowledgement = connection.streamAcknowledgement,
              connection.output.count - connection.outputSent < Self.streamHighWater
        else { return }
        connection.streamAcknowledgement = nil
        acknowledgement.accepted()
    }

    /// The producer finished: end the body (the last chunk), then go on with the connection's next request
    /// — or, if it failed, close without ending the body, so the client sees it was cut short.
    func streamEnd(token: UInt64, failed: Bool) {
        guard let connection = connection(for: token), case .streaming(let keepAlive, let chunked) = connection.phase
        else { return }
        connection.pendingTask = nil
        if !failed, chunked { connection.output.append(contentsOf: ResponseEncoder.lastChunk) }
        if !failed, keepAlive {
            connection.phase = .head
        } else {
            connection.phase = .closing
            connection.closeAfterOutput = true
        }
        if !connection.outputBlocked { drive(connection) }
    }

    /// The live connection a message names, unless it has closed (or its descriptor now serves another).
    func connection(for token: UInt64) -> Connection? {
        let fd = Int(UInt32(truncatingIfNeeded: token))
        guard fd < connections.count, let connection = connections[fd], connection.token == token else { return nil }
        return connection
    }

    /// Starts an async handler as a task; its response comes back through this worker's mailbox.
    private func start(_ handler: @escaping AsyncHandler, _ request: Request, on connection: Connection) {
        let handle = self.handle
        let logger = self.logger
        let token = connection.token
        let sequence = connection.requestsServed
        connection.pendingTask = Task {
            let response: Response
            do {
                response = try await handler(request)
            } catch {
                if Task.isCancelled { return }
                logger.error("handler for \(request.method) \(request.rawPath) threw: \(error)")
                response = .text("Internal Server Error\n", status: .internalServerError)
            }
            guard !Task.isCancelled else { return }
            handle.send(.response(token: token, sequence: sequence, response))
        }
        arm(connection, .none)
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
