import Foundation

/// The todos, in memory: an actor stands in for a database the handlers await.
public actor TodoStore {
    private var todos: [Int: Todo] = [:]
    private var nextID = 1

    public init() {}

    func list(limit: Int, offset: Int) -> (page: [Todo], total: Int) {
        let all = todos.values.sorted { $0.id < $1.id }
        return (Array(all.dropFirst(offset).prefix(limit)), all.count)
    }

    func add(_ new: NewTodo) -> Todo {
        let todo = Todo(id: nextID, title: new.title, done: new.done ?? false, createdAt: Date())
        todos[todo.id] = todo
        nextID += 1
        return todo
    }

    func find(_ id: Int) -> Todo? { todos[id] }

    func change(_ id: Int, _ change: TodoChange) -> Todo? {
        guard var todo = todos[id] else { return nil }
        if let title = change.title { todo.title = title }
        if let done = change.done { todo.done = done }
        todos[id] = todo
        return todo
    }

    func remove(_ id: Int) -> Bool { todos.removeValue(forKey: id) != nil }
}
