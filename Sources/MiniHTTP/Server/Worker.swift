import CSystem
import Glibc
import Logging
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// One worker thread: an epoll loop over the connections it owns, and the executor of their state
/// machines (`ConnectionState`). It accepts from the shared listening socket itself (`EPOLLEXCLUSIVE`
/// wakes one worker per new connection, as nginx does), turns epoll events and mailbox messages into
/// connection events, and carries out the actions they return: read, parse, dispatch, write, time out,
/// close. Nothing here is locked on the per-request path.
final class Worker {
    static let wakeupToken = UInt64.max
    static let listenerToken = UInt64.max - 1
    /// Deadlines are checked at most this often; a deadline is honoured within this much.
    static let sweepIntervalMilliseconds: Int64 = 250
    /// The size of a pooled input buffer, and of one read of a body consumed as it arrives.
    static let bufferBytes = 16 * 1024
    static let maxPooledBuffers = 32

    // Mutable state below is `@exclusivity(unchecked)` for the reason given on `Connection`: one thread.
    let context: ServerContext
    let mailbox: WorkerMailbox
    let epoll: Epoll
    let listener: ListeningSocket?
    let logger: Logger

    @exclusivity(unchecked) var connections: [Connection?] = []
    @exclusivity(unchecked) var live: [Connection] = []
    @exclusivity(unchecked) var counters = WorkerCounters()
    @exclusivity(unchecked) var date = DateCache()
    /// The time this loop iteration started (or the last synchronous handler returned): milliseconds for
    /// deadlines, microseconds for durations. Read once per turn, not per request.
    @exclusivity(unchecked) var now: Int64 = MonotonicClock.milliseconds()
    @exclusivity(unchecked) var nowMicros: Int64 = MonotonicClock.microseconds()
    @exclusivity(unchecked) var accessLog: AccessLogBuffer?
    /// This worker's number, `0..<workers`: responders index their per-worker state by it.
    let index: Int
    var generation: UInt32 = 0
    @exclusivity(unchecked) var bufferPool: [[UInt8]] = []
    /// Empty output buffers with their capacity, for connections that have something to write.
    @exclusivity(unchecked) var outputPool: [[UInt8]] = []
    @exclusivity(unchecked) var messages: [WorkerMessage] = []
    @exclusivity(unchecked) var earliestDeadline: Int64 = .max
    @exclusivity(unchecked) var nextSweep: Int64 = 0
    var acceptPausedUntil: Int64?
    var loggedAcceptFailure = false
    var isDraining = false
    var stoppedAccepting = false
    var drainDeadline: Int64 = .max
    /// Scratch space for input discarded during a lingering close.
    @exclusivity(unchecked) var discard = [UInt8](repeating: 0, count: 16 * 1024)
    /// Connections that stopped at a per-turn bound with work left (input to discard): no new edge may
    /// come for them, so they are visited again next turn, after the others' events, before waiting.
    @exclusivity(unchecked) var revisits: [Connection] = []
    @exclusivity(unchecked) private var revisiting: [Connection] = []

    init(index: Int, context: ServerContext, mailbox: WorkerMailbox, listener: ListeningSocket?) throws(SystemError) {
        self.index = index
        self.context = context
        self.mailbox = mailbox
        self.listener = listener
        self.logger = context.logger
        epoll = try Epoll()
        try epoll.add(mailbox.wakeup.descriptor, events: .readable, token: Self.wakeupToken)
        if let listener {
            try epoll.add(listener.descriptor, events: listener.acceptsExclusively ? [.readable, .exclusive] : .readable, token: Self.listenerToken)
        }
        if let sink = context.accessLog { accessLog = AccessLogBuffer(sink: sink) }
    }

    /// Runs the loop until a drain has finished.
    func run() {
        while !isDraining || !(live.isEmpty || now >= drainDeadline) {
            let timeout = revisits.isEmpty ? waitTimeout() : 0
            let count: Int
            do {
                count = try epoll.wait(timeoutMilliseconds: timeout)
            } catch {
                // Only a bug (EBADF, EFAULT) gets here: waiting again would spin. Stop this worker.
                logger.critical("epoll_wait failed: \(error); this worker stops")
                break
            }
            updateClock()
            date.refresh(now: time(nil))
            for index in 0..<count {
                let (token, events) = epoll.event(at: index)
                dispatch(token: token, events: events)
            }
            if !revisits.isEmpty { revisit() }
            if now >= nextSweep || now >= earliestDeadline { sweep() } else { resumeAcceptingIfPaused() }
            accessLog?.flush()
            mailbox.counters.publish(counters)
        }
        for connection in live.reversed() { close(connection) }
        mailbox.close()
        accessLog?.flush()
        mailbox.counters.publish(counters)
    }

    private func dispatch(token: UInt64, events: EpollEvents) {
        switch token {
        case Self.wakeupToken:
            mailbox.wakeup.drain()
            handleMessages()
        case Self.listenerToken:
            acceptConnections()
        default:
            guard let connection = connection(for: token) else { return }
            if events.contains(.error) {
                apply(connection.state.on(.reset, now: now), to: connection)
                return
            }
            if events.contains(.readable) || events.contains(.readHangUp) || events.contains(.hangUp) {
                connection.mayHaveInput = true
                if events.contains(.readHangUp) || events.contains(.hangUp) { connection.peerHungUp = true }
            }
            if connection.state.isLingering {
                discardInput(connection)
            } else {
                // Writable or readable: either may let the connection go on (the drive reads only what its
                // state allows, and writes whatever is queued).
                drive(connection)
            }
        }
    }

    /// Reads the monotonic clock into `now` and `nowMicros`.
    @inline(__always)
    func updateClock() {
        nowMicros = MonotonicClock.microseconds()
        now = nowMicros / 1000
    }

    /// Goes on with the connections that stopped at a per-turn bound.
    private func revisit() {
        swap(&revisits, &revisiting)
        for connection in revisiting where !connection.isClosed {
            if connection.state.isLingering { discardInput(connection) } else { drive(connection) }
        }
        revisiting.removeAll(keepingCapacity: true)
    }

    /// The live connection an event or message names, unless it has closed (or its descriptor now serves another).
    func connection(for token: UInt64) -> Connection? {
        let fd = Int(UInt32(truncatingIfNeeded: token))
        guard fd < connections.count, let connection = connections[fd], connection.token == token else { return nil }
        return connection
    }
}
