import Synchronization
import MiniHTTPCore
import MiniHTTPPosix

/// Lets one asynchronous operation at a time through: a stream's single pending continuation lives on
/// the worker, so a second `write` (or `next()`) while one waits would replace it and leave the first
/// waiting forever. Shared by every copy of the stream value, so copies in other tasks are caught too.
package final class OperationGate: Sendable {
    private let busy = Atomic<Bool>(false)

    /// Enters the gate; false (entering nothing) when another operation is outstanding.
    package func enter() -> Bool {
        busy.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    /// Leaves the gate; called once after each successful `enter()`.
    package func leave() {
        busy.store(false, ordering: .releasing)
    }
}
