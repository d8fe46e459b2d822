import MiniHTTPCore

/// Registration methods for handlers that return a ``ResponseConvertible`` value (`String`, `Status`,
/// `[UInt8]`, an optional of one, your own types).
extension RouteBuilder {
    /// Registers `handler` for `method` requests whose path matches `pattern`;
    /// the result is converted by ``ResponseConvertible``.
    public mutating func on<T>(method: HTTPMethod, path pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        add(method, pattern, Endpoint(.sync { coding in
            { request in try handler(request).response(to: request) }
        }))
    }

    /// Registers an `async` `handler` for `method` requests whose path matches `pattern`;
    /// the result is converted by ``ResponseConvertible``.
    public mutating func on<T>(
        method: HTTPMethod, path pattern: String, _ handler: @escaping AsyncResultHandler<T>
    ) where T: ResponseConvertible & SendableMetatype {
        add(method, pattern, Endpoint(.async { coding in
            { request in try await handler(request).response(to: request) }
        }))
    }

    /// Registers a `GET` route (which answers `HEAD` too); the result is converted by ``ResponseConvertible``.
    public mutating func get<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .get, path: pattern, handler)
    }

    /// Registers an `async` `GET` route (which answers `HEAD` too); the result is converted by ``ResponseConvertible``.
    public mutating func get<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .get, path: pattern, handler)
    }

    /// Registers a `HEAD` route; the result is converted by ``ResponseConvertible``.
    public mutating func head<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .head, path: pattern, handler)
    }

    /// Registers an `async` `HEAD` route; the result is converted by ``ResponseConvertible``.
    public mutating func head<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .head, path: pattern, handler)
    }

    /// Registers a `POST` route; the result is converted by ``ResponseConvertible``.
    public mutating func post<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .post, path: pattern, handler)
    }

    /// Registers an `async` `POST` route; the result is converted by ``ResponseConvertible``.
    public mutating func post<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .post, path: pattern, handler)
    }

    /// Registers a `PUT` route; the result is converted by ``ResponseConvertible``.
    public mutating func put<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .put, path: pattern, handler)
    }

    /// Registers an `async` `PUT` route; the result is converted by ``ResponseConvertible``.
    public mutating func put<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .put, path: pattern, handler)
    }

    /// Registers a `PATCH` route; the result is converted by ``ResponseConvertible``.
    public mutating func patch<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers an `async` `PATCH` route; the result is converted by ``ResponseConvertible``.
    public mutating func patch<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers a `DELETE` route; the result is converted by ``ResponseConvertible``.
    public mutating func delete<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .delete, path: pattern, handler)
    }

    /// Registers an `async` `DELETE` route; the result is converted by ``ResponseConvertible``.
    public mutating func delete<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: ResponseConvertible & SendableMetatype {
        on(method: .delete, path: pattern, handler)
    }
}
