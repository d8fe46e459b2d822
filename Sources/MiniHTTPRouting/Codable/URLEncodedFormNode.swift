import MiniHTTPCore
/// A parsed form as a tree: the values given for one key, the named keys below it, or its numbered elements.
///
/// `a=1&a=2` and `a[]=1&a[]=2` both give `a` two values (an HTML `<select multiple>` sends the first form);
/// `a[b]=1` puts `b` below `a`; `a[0]=x&a[1]=y` numbers the elements of `a`, in any order.
enum URLEncodedFormNode: Sendable, Equatable {
    case values([String])
    case object([String: URLEncodedFormNode])
    case indexed([Int: URLEncodedFormNode])

    /// One step of a key: `name`, `[name]`, `[3]` or a final `[]`.
    enum Component: Sendable, Equatable {
        case name(String)
        case index(Int)
        case append
    }

    /// Why a value could not be placed: the key path already holds something of another shape.
    struct Conflict: Error {
        /// How many components of the key were walked before the clash.
        let depth: Int
    }

    /// An empty node of the shape that `next` (the component after this node) needs.
    static func empty(before next: Component?) -> URLEncodedFormNode {
        switch next {
        case nil, .append: .values([])
        case .name: .object([:])
        case .index: .indexed([:])
        }
    }

    /// Adds `value` at `path` below this node, creating the nodes on the way.
    ///
    /// Each payload is bound, then `self` is emptied before the payload changes, so the payload is the only
    /// reference to its storage and is changed in place, not copied (a copy per insert would make a form of
    /// n fields cost n²). The tree is at most `maxDepth` deep, so the recursion is bounded.
    mutating func insert(_ value: String, at path: ArraySlice<Component>, depth: Int = 0) throws(Conflict) {
        let rest = path.dropFirst()
        switch path.first {
        case nil, .append?:
            guard case .values(var list) = self else { throw Conflict(depth: depth) }
            self = .values([])
            list.append(value)
            self = .values(list)
        case .name(let name)?:
            guard case .object(var fields) = self else { throw Conflict(depth: depth) }
            self = .values([])
            defer { self = .object(fields) }
            try fields[name, default: .empty(before: rest.first)].insert(value, at: rest, depth: depth + 1)
        case .index(let index)?:
            guard case .indexed(var elements) = self else { throw Conflict(depth: depth) }
            self = .values([])
            defer { self = .indexed(elements) }
            try elements[index, default: .empty(before: rest.first)].insert(value, at: rest, depth: depth + 1)
        }
    }
}
