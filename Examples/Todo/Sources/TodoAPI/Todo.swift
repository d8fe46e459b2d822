import Foundation

/// A todo as the API sends it.
public struct Todo: Codable, Sendable, Equatable {
    public var id: Int
    public var title: String
    public var done: Bool
    public var createdAt: Date
}

/// What a client sends to create a todo (JSON or a form).
public struct NewTodo: Codable, Sendable {
    public var title: String
    public var done: Bool?

    public init(title: String, done: Bool? = nil) {
        self.title = title
        self.done = done
    }
}

/// What a client sends to change a todo: only the fields it names.
public struct TodoChange: Codable, Sendable {
    public var title: String?
    public var done: Bool?

    public init(title: String? = nil, done: Bool? = nil) {
        self.title = title
        self.done = done
    }
}

/// `?limit=&offset=` of the list.
struct Page: Decodable {
    var limit: Int?
    var offset: Int?
}
