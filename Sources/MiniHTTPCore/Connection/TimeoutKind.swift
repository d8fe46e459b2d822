/// The kinds of timeout a connection can hit, each counted on its own.
package enum TimeoutKind: Int, Sendable, CaseIterable {
    case header, body, idle, write
}

/// What a connection that timed out is answered before it closes: `408 Request Timeout` (RFC 9110 §15.5.9)
/// when a request had begun. A trivial value rather than a `Status`, so that the state machine's actions
/// cost no retain or release on every event.
package enum TimeoutAnswer: Sendable, Equatable {
    case requestTimeout

    package var status: Status { .requestTimeout }
}
