/// The kinds of timeout a connection can hit, each counted on its own.
package enum TimeoutKind: Int, Sendable, CaseIterable {
    case header, body, idle, write
}
