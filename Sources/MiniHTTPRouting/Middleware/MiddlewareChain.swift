import MiniHTTPCore

/// Composes a route's middleware and handler into one closure, once, when the router is frozen. Each
/// layer holds its middleware at its concrete type (the existential is opened when the layer is made),
/// the request passes by `inout`: a request costs no array walk, box or copy.
package enum MiddlewareChain {
    /// The synchronous chain: never throws (errors are rendered where they are thrown).
    package typealias SyncChain = @Sendable (inout Request) -> Response
    /// The asynchronous chain: never throws.
    package typealias AsyncChain = @Sendable (Request) async -> Response
    /// The chain for the server's own answers: `answer` is what the server would send (a 404, a static
    /// file), called unless a middleware answers first.
    package typealias AnswerChain = @Sendable (inout Request, (Request) -> Response) -> Response

    /// A synchronous handler behind synchronous middleware. The chain takes the request `inout` from the
    /// worker, which owns it: a copy retains each of its fields, and the profile of the code route showed
    /// copies as its largest cost. Each layer still copies it for the layers inside (see `layer`).
    package static func sync(_ stack: [any Middleware], _ format: ErrorBodyFormat, _ handler: @escaping Handler)
        -> SyncChain
    {
        var chain: SyncChain = { request in
            do { return try handler(request) } catch { return renderedResponse(for: error, request, format) }
        }
        for middleware in stack.reversed() { chain = layer(middleware, format, chain) }
        return chain
    }

    /// An async handler behind any middleware (synchronous hooks run in the handler's task).
    package static func async(
        _ stack: [MiddlewareEntry], _ format: ErrorBodyFormat, _ handler: @escaping AsyncHandler
    ) -> AsyncHandler {
        var chain: AsyncChain = { request in
            do { return try await handler(request) } catch { return renderedResponse(for: error, request, format) }
        }
        for entry in stack.reversed() {
            switch entry {
            case .sync(let middleware): chain = asyncLayer(middleware, format, chain)
            case .async(let middleware): chain = aroundLayer(middleware, format, chain)
            }
        }
        let composed = chain
        return { request in await composed(request) }
    }

    /// The synchronous hooks of `stack` around the server's own answers.
    package static func answers(_ stack: [any Middleware], _ format: ErrorBodyFormat) -> AnswerChain {
        var chain: AnswerChain = { request, answer in answer(request) }
        for middleware in stack.reversed() { chain = answerLayer(middleware, format, chain) }
        return chain
    }

    private static func layer<M: Middleware>(
        _ middleware: M, _ format: ErrorBodyFormat, _ inner: @escaping SyncChain) -> SyncChain {
        { request in
            var response: Response
            do {
                if let early = try middleware.handle(&request) {
                    response = early
                } else {
                    // What inner middleware changes stays theirs: this `finish` sees the request as this
                    // middleware's `handle` left it, as on async routes (where each layer has its own copy).
                    var innerRequest = request
                    response = inner(&innerRequest)
                }
            } catch {
                response = renderedResponse(for: error, request, format)
            }
            middleware.finish(&response, for: request)
            return response
        }
    }

    private static func asyncLayer<M: Middleware>(
        _ middleware: M, _ format: ErrorBodyFormat, _ inner: @escaping AsyncChain) -> AsyncChain {
        { request in
            var request = request
            var response: Response
            do {
                if let early = try middleware.handle(&request) {
                    response = early
                } else {
                    response = await inner(request)
                }
            } catch {
                response = renderedResponse(for: error, request, format)
            }
            middleware.finish(&response, for: request)
            return response
        }
    }

    private static func aroundLayer<M: AsyncMiddleware>(
        _ middleware: M, _ format: ErrorBodyFormat, _ inner: @escaping AsyncChain) -> AsyncChain {
        { request in
            do {
                return try await middleware.respond(to: request) { await inner($0) }
            } catch {
                return renderedResponse(for: error, request, format)
            }
        }
    }

    private static func answerLayer<M: Middleware>(
        _ middleware: M, _ format: ErrorBodyFormat, _ inner: @escaping AnswerChain) -> AnswerChain {
        { request, answer in
            var response: Response
            do {
                if let early = try middleware.handle(&request) {
                    response = early
                } else {
                    var innerRequest = request  // as in `layer`: inner changes stay theirs
                    response = inner(&innerRequest, answer)
                }
            } catch {
                response = renderedResponse(for: error, request, format)
            }
            middleware.finish(&response, for: request)
            return response
        }
    }
}
