import MiniHTTPCore

/// Registration methods for handlers that return an `Encodable` model: sent as `application/json`,
/// encoded with the route's ``JSONCoding`` (its group's, else the router's).
extension RouteBuilder {
    /// Registers `handler` for `method` requests whose path matches `pattern`;
    /// the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func on<T>(method: HTTPMethod, path pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & SendableMetatype {
        add(method, pattern, Endpoint(.sync { coding in
            { request in try Response.encoded(handler(request), with: coding) }
        }))
    }

    /// Registers an `async` `handler` for `method` requests whose path matches `pattern`;
    /// the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func on<T>(
        method: HTTPMethod, path pattern: String, _ handler: @escaping AsyncResultHandler<T>
    ) where T: Encodable & SendableMetatype {
        add(method, pattern, Endpoint(.async { coding in
            { request in try await Response.encoded(handler(request), with: coding) }
        }))
    }

    /// Registers a `GET` route (which answers `HEAD` too); the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func get<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .get, path: pattern, handler)
    }

    /// Registers an `async` `GET` route (which answers `HEAD` too); the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func get<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .get, path: pattern, handler)
    }

    /// Registers a `HEAD` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func head<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .head, path: pattern, handler)
    }

    /// Registers an `async` `HEAD` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func head<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .head, path: pattern, handler)
    }

    /// Registers a `POST` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func post<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .post, path: pattern, handler)
    }

    /// Registers an `async` `POST` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func post<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .post, path: pattern, handler)
    }

    /// Registers a `PUT` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func put<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .put, path: pattern, handler)
    }

    /// Registers an `async` `PUT` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func put<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .put, path: pattern, handler)
    }

    /// Registers a `PATCH` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func patch<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers an `async` `PATCH` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func patch<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .patch, path: pattern, handler)
    }

    /// Registers a `DELETE` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func delete<T>(_ pattern: String, _ handler: @escaping ResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .delete, path: pattern, handler)
    }

    /// Registers an `async` `DELETE` route; the result is sent as JSON (the route's ``JSONCoding``).
    public mutating func delete<T>(_ pattern: String, _ handler: @escaping AsyncResultHandler<T>)
    where T: Encodable & SendableMetatype {
        on(method: .delete, path: pattern, handler)
    }
}
