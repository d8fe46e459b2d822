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

    /// A synchronous handler behind synchronous middleware.
    package static func sync(_ stack: [any Middleware], errors format: ErrorBodyFormat, _ handler: @escaping Handler)
        -> Handler
    {
        var chain: SyncChain = { request in
            do { return try handler(request) } catch { return renderedResponse(for: error, request) }
        }
        for middleware in stack.reversed() { chain = layer(middleware, chain) }
        let composed = chain
        return { request in
            var request = request
            request.errorFormat = format
            return composed(&request)
        }
    }

    /// An async handler behind any middleware (synchronous hooks run in the handler's task).
    package static func async(
        _ stack: [MiddlewareEntry], errors format: ErrorBodyFormat, _ handler: @escaping AsyncHandler
    ) -> AsyncHandler {
        var chain: AsyncChain = { request in
            do { return try await handler(request) } catch { return renderedResponse(for: error, request) }
        }
        for entry in stack.reversed() {
            switch entry {
            case .sync(let middleware): chain = asyncLayer(middleware, chain)
            case .async(let middleware): chain = aroundLayer(middleware, chain)
            }
        }
        let composed = chain
        return { request in
            var request = request
            request.errorFormat = format
            return await composed(request)
        }
    }

    /// The synchronous hooks of `stack` around the server's own answers.
    package static func answers(_ stack: [any Middleware]) -> AnswerChain {
        var chain: AnswerChain = { request, answer in answer(request) }
        for middleware in stack.reversed() { chain = answerLayer(middleware, chain) }
        return chain
    }

    private static func layer<M: Middleware>(_ middleware: M, _ inner: @escaping SyncChain) -> SyncChain {
        { request in
            var response: Response
            do {
                if let early = try middleware.handle(&request) { response = early } else { response = inner(&request) }
            } catch {
                response = renderedResponse(for: error, request)
            }
            middleware.finish(&response, for: request)
            return response
        }
    }

    private static func asyncLayer<M: Middleware>(_ middleware: M, _ inner: @escaping AsyncChain) -> AsyncChain {
        { request in
            var request = request
            var response: Response
            do {
                if let early = try middleware.handle(&request) { response = early } else { response = await inner(request) }
            } catch {
                response = renderedResponse(for: error, request)
            }
            middleware.finish(&response, for: request)
            return response
        }
    }

    private static func aroundLayer<M: AsyncMiddleware>(_ middleware: M, _ inner: @escaping AsyncChain) -> AsyncChain {
        { request in
            do {
                return try await middleware.respond(to: request) { await inner($0) }
            } catch {
                return renderedResponse(for: error, request)
            }
        }
    }

    private static func answerLayer<M: Middleware>(_ middleware: M, _ inner: @escaping AnswerChain) -> AnswerChain {
        { request, answer in
            var response: Response
            do {
                if let early = try middleware.handle(&request) {
                    response = early
                } else {
                    response = inner(&request, answer)
                }
            } catch {
                response = renderedResponse(for: error, request)
            }
            middleware.finish(&response, for: request)
            return response
        }
    }
}
