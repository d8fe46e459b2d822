/// Moves a non-Sendable value into the one thread that will use it from then on.
/// Safe because the creating thread drops its reference right after handing the value over: the worker
/// object is used only by the thread it is sent to.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
