import MiniHTTPCore

/// The tie-breaker for results that are both `Encodable` and ``ResponseConvertible`` (`String`,
/// `[UInt8]`): without these overloads `{ _ in "hello" }` would be ambiguous; with them it is text, not
/// a JSON string.
extension RouteBuilder {
    /// Registers `handler` for `method` requests whose path matches `pattern`;
    /// its own conversion wins over JSON.
    public mutating func on<T>(method: HTTPMethod, path pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        add(method, pattern, Endpoint(.sync { coding in
            { request in try handler(request).response(to: request) }
        }))
    }

    /// Registers an `async` `handler` for `method` requests whose path matches `pattern`;
    /// its own conversion wins over JSON.
    public mutating func on<T>(
        method: HTTPMethod, path pattern: String, _ handler: @escaping AsyncResultHandler<T>
    ) where T: Encodable & ResponseConvertible & SendableMetatype {
        add(method, pattern, Endpoint(.async { coding in
            { request in try await handler(request).response(to: request) }
        }))
    }

    /// Registers a `GET` route (which answers `HEAD` too); its own conversion wins over JSON.
    public mutating func get<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .get, path: pattern, handler)
    }

    /// Registers an `async` `GET` route (which answers `HEAD` too); its own conversion wins over JSON.
    public mutating func get<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .get, path: pattern, handler)
    }

    /// Registers a `HEAD` route; its own conversion wins over JSON.
    public mutating func head<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .head, path: pattern, handler)
    }

    /// Registers an `async` `HEAD` route; its own conversion wins over JSON.
    public mutating func head<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .head, path: pattern, handler)
    }

    /// Registers a `POST` route; its own conversion wins over JSON.
    public mutating func post<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .post, path: pattern, handler)
    }

    /// Registers an `async` `POST` route; its own conversion wins over JSON.
    public mutating func post<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .post, path: pattern, handler)
    }

    /// Registers a `PUT` route; its own conversion wins over JSON.
    public mutating func put<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .put, path: pattern, handler)
    }

    /// Registers an `async` `PUT` route; its own conversion wins over JSON.
    public mutating func put<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .put, path: pattern, handler)
    }

    /// Registers a `PATCH` route; its own conversion wins over JSON.
    public mutating func patch<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers an `async` `PATCH` route; its own conversion wins over JSON.
    public mutating func patch<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers a `DELETE` route; its own conversion wins over JSON.
    public mutating func delete<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .delete, path: pattern, handler)
    }

    /// Registers an `async` `DELETE` route; its own conversion wins over JSON.
    public mutating func delete<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & ResponseConvertible & SendableMetatype {
        on(method: .delete, path: pattern, handler)
    }
}
