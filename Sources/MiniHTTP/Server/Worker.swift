import CSystem
import Glibc
import Logging

/// One worker thread: an epoll loop over the connections it owns. It accepts from the shared listening
/// socket itself (`EPOLLEXCLUSIVE` wakes one worker per new connection, as nginx does), reads, parses,
/// routes, writes and times out its connections, and takes messages (drain) from other threads
/// through its mailbox and eventfd. Nothing here is locked on the per-request path.
final class Worker {
    static let wakeupToken = UInt64.max
    static let listenerToken = UInt64.max - 1
    /// Deadlines are checked at most this often; a deadline is honoured within this much.
    static let sweepIntervalMilliseconds: Int64 = 250
    static let bufferBytes = 16 * 1024
    static let maxPooledBuffers = 32

    // Mutable state below is `@exclusivity(unchecked)` for the reason given on `Connection`: one thread.
    let context: ServerContext
    let handle: WorkerHandle
    let epoll: Epoll
    let listener: ListeningSocket?
    let logger: Logger

    @exclusivity(unchecked) var connections: [Connection?] = []
    @exclusivity(unchecked) var live: [Connection] = []
    @exclusivity(unchecked) var counters = WorkerCounters()
    @exclusivity(unchecked) var date = DateCache()
    /// The time this loop iteration started: milliseconds for deadlines, microseconds for durations.
    @exclusivity(unchecked) var now: Int64 = MonotonicClock.milliseconds()
    @exclusivity(unchecked) var nowMicros: Int64 = MonotonicClock.microseconds()
    @exclusivity(unchecked) var accessLog: AccessLogBuffer?
    let fileCache: FileCache
    var generation: UInt32 = 0
    @exclusivity(unchecked) private var bufferPool: [[UInt8]] = []
    /// Empty output buffers with their capacity, for connections that have something to write.
    @exclusivity(unchecked) private var outputPool: [[UInt8]] = []
    @exclusivity(unchecked) private var messages: [WorkerMessage] = []
    @exclusivity(unchecked) var earliestDeadline: Int64 = .max
    @exclusivity(unchecked) var nextSweep: Int64 = 0
    var acceptPausedUntil: Int64?
    var loggedAcceptFailure = false
    private(set) var isDraining = false
    var stoppedAccepting = false
    var drainDeadline: Int64 = .max
    /// Scratch space for input discarded during a lingering close.
    @exclusivity(unchecked) var discard = [UInt8](repeating: 0, count: 4096)

    init(context: ServerContext, handle: WorkerHandle, listener: ListeningSocket?) throws(SystemError) {
        self.context = context
        self.handle = handle
        self.listener = listener
        self.logger = context.logger
        epoll = try Epoll()
        try epoll.add(handle.wakeup.descriptor, events: .readable, token: Self.wakeupToken)
        if let listener {
            try epoll.add(listener.descriptor, events: listener.acceptsExclusively ? [.readable, .exclusive] : .readable, token: Self.listenerToken)
        }
        if let sink = context.accessLog { accessLog = AccessLogBuffer(sink: sink) }
        fileCache = FileCache(settings: context.fileCache, gzipCacheBytes: context.gzip.cacheBytes)
    }

    /// Runs the loop until a drain has finished.
    func run() {
        while !isDraining || !(live.isEmpty || now >= drainDeadline) {
            let timeout = waitTimeout()
            let count = epoll.wait(timeoutMilliseconds: timeout)
            nowMicros = MonotonicClock.microseconds()
            now = nowMicros / 1000
            date.refresh(now: time(nil))
            for index in 0..<count {
                let (token, events) = epoll.event(at: index)
                dispatch(token: token, events: events)
            }
            if now >= nextSweep { sweep() }
            accessLog?.flush()
            handle.counters.publish(counters)
        }
        for connection in live.reversed() { close(connection) }
        handle.close()
        accessLog?.flush()
        handle.counters.publish(counters)
    }

    private func dispatch(token: UInt64, events: EpollEvents) {
        switch token {
        case Self.wakeupToken:
            handle.wakeup.drain()
            handleMessages()
        case Self.listenerToken:
            acceptConnections()
        default:
            guard let connection = connection(for: token) else { return }
            if events.contains(.error) {
                close(connection)
                return
            }
            if events.contains(.readable) || events.contains(.readHangUp) || events.contains(.hangUp) {
                onReadable(connection, peerHungUp: events.contains(.readHangUp) || events.contains(.hangUp))
            }
            if !connection.isClosed, events.contains(.writable), connection.hasPendingOutput {
                connection.outputBlocked = false
                drive(connection)
            }
        }
    }

    /// The live connection an event or message names, unless it has closed (or its descriptor now serves another).
    func connection(for token: UInt64) -> Connection? {
        let fd = Int(UInt32(truncatingIfNeeded: token))
        guard fd < connections.count, let connection = connections[fd], connection.token == token else { return nil }
        return connection
    }

    // MARK: Closing

    /// Closes at once: deregisters (close does it), frees the descriptor, returns the buffers to the pool.
    func close(_ connection: Connection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        Syscall.close(connection.descriptor)
        connections[Int(connection.descriptor)] = nil
        let last = live.removeLast()
        if last !== connection {
            live[connection.listIndex] = last
            last.listIndex = connection.listIndex
        }
        releaseBuffers(connection)
        connection.tail = nil
        connection.chunkedBody = []
        if let task = connection.pendingTask {
            task.cancel()
            connection.pendingTask = nil
            counters.abandonedResponses += 1
        }
        connection.streamAcknowledgement?.refused()
        connection.streamAcknowledgement = nil
        connection.bodyDemand?.fail(StreamError.connectionClosed)
        connection.bodyDemand = nil
        counters.closed += 1
        context.limiter.release(connection.peerAddress)
    }

    /// Ends a connection whose last response has been written: at once when the client has finished too,
    /// otherwise by a lingering close when it may still be sending (so it reads our response, not a reset).
    func finishClose(_ connection: Connection) {
        if connection.peerFinished || (!connection.lingerOnClose && connection.bufferedInput == 0) {
            close(connection)
            return
        }
        shutdown(connection.descriptor, Int32(SHUT_WR))
        connection.isLingering = true
        releaseBuffers(connection)
        arm(connection, .linger)
        discardInput(connection)
    }

    /// Reads and drops whatever the client still sends during a lingering close; closes on EOF or error.
    private func discardInput(_ connection: Connection) {
        while true {
            let result = discard.withUnsafeMutableBytes { raw -> IOResult in
                guard let base = raw.baseAddress else { return .failed(EINVAL) }
                return Syscall.receive(connection.descriptor, into: base, count: raw.count)
            }
            switch result {
            case .bytes(0), .failed: close(connection); return
            case .bytes: continue
            case .wouldBlock: return
            }
        }
    }

    // MARK: Reading

    private func onReadable(_ connection: Connection, peerHungUp: Bool) {
        if connection.isLingering {
            discardInput(connection)
            return
        }
        if connection.isWaitingForProducer {
            // Leave pipelined input in the kernel until the response is back (drive reads it then). A
            // client that finished sending while its handler runs has gone away, as nginx judges it too.
            if peerHungUp {
                close(connection)
            } else {
                connection.socketMayHaveInput = true
            }
            return
        }
        // After a hang-up no further edge will come: read on to the end-of-file rather than stop early.
        if peerHungUp { connection.peerHungUp = true }
        guard readInput(connection) else { return }
        drive(connection)
    }

    /// Reads until the socket is drained, the client finished, or the buffer is at its limit.
    /// Returns false if the connection was closed.
    func readInput(_ connection: Connection) -> Bool {
        connection.socketMayHaveInput = false
        while !connection.peerFinished {
            if connection.input.isEmpty { connection.input = takeBuffer() }
            if connection.inputEnd == connection.input.count {
                if connection.inputStart > 0 {
                    connection.compactInput()
                } else if case .streamingBody = connection.phase,
                          connection.inputEnd - connection.head.length >= Self.bufferBytes {
                    // A streamed body is read only as fast as its handler takes it: the rest waits in the
                    // kernel, and TCP holds the client back.
                    connection.socketMayHaveInput = true
                    return true
                } else if connection.input.count < context.maxInputBytes {
                    let grown = min(connection.input.count * 2, context.maxInputBytes)
                    connection.input.append(contentsOf: repeatElement(0, count: grown - connection.input.count))
                } else {
                    connection.socketMayHaveInput = true
                    return true
                }
            }
            let space = connection.input.count - connection.inputEnd
            let result = connection.input.withUnsafeMutableBytes { raw -> IOResult in
                guard let base = raw.baseAddress else { return .failed(EINVAL) }
                return Syscall.receive(connection.descriptor, into: base + connection.inputEnd, count: space)
            }
            switch result {
            case .bytes(0):
                connection.peerFinished = true
            case .bytes(let count):
                connection.inputEnd += count
                counters.bytesReceived += count
                // A short read drained the socket (unless the peer hung up: then read on to see the EOF).
                if count < space, !connection.peerHungUp { return true }
            case .wouldBlock:
                return true
            case .failed:
                close(connection)
                return false
            }
        }
        return true
    }

    // MARK: Buffers

    private func takeBuffer() -> [UInt8] {
        bufferPool.popLast() ?? [UInt8](repeating: 0, count: Self.bufferBytes)
    }

    /// Gives an idle connection's buffers back to the pool (only standard-size ones are kept).
    func releaseBuffers(_ connection: Connection) {
        if !connection.input.isEmpty, connection.bufferedInput == 0 {
            var buffer: [UInt8] = []
            swap(&buffer, &connection.input)
            if buffer.count == Self.bufferBytes, bufferPool.count < Self.maxPooledBuffers {
                bufferPool.append(buffer)
            }
            connection.inputStart = 0
            connection.inputEnd = 0
        }
        if !connection.hasPendingOutput, connection.output.capacity > 0 {
            var buffer: [UInt8] = []
            swap(&buffer, &connection.output)
            connection.outputSent = 0
            if buffer.capacity <= Self.bufferBytes * 4, outputPool.count < Self.maxPooledBuffers {
                buffer.removeAll(keepingCapacity: true)
                outputPool.append(buffer)
            }
        }
    }

    /// Gives a connection an output buffer from the pool before its first response is encoded.
    func prepareOutput(_ connection: Connection) {
        guard connection.output.capacity == 0 else { return }
        if let buffer = outputPool.popLast() {
            connection.output = buffer
        } else {
            connection.output.reserveCapacity(Self.bufferBytes)
        }
    }

    // MARK: Messages

    private func handleMessages() {
        handle.takeMessages(into: &messages)
        for message in messages {
            switch message {
            case .drain(let deadline):
                beginDrain(deadline: deadline)
            case .response(let token, let sequence, let response):
                resume(token: token, sequence: sequence, with: response)
            case .streamWrite(let token, let bytes, let acknowledgement):
                streamWrite(token: token, bytes, acknowledgement)
            case .streamEnd(let token, let failed):
                streamEnd(token: token, failed: failed)
            case .bodyDemand(let token, let demand):
                bodyDemand(token: token, demand)
            }
        }
        messages.removeAll(keepingCapacity: true)
    }

    /// A connection accepted but not yet sent its first request gets this long to send it when a drain
    /// begins: it has just connected, so its request is most likely on its way — closing it would reset it.
    static let drainFirstRequestMilliseconds: Int64 = 1000

    /// Stops accepting; idle keep-alive connections are closed (after answering any request already on
    /// its way), new ones get a moment for their first request, busy ones close after their response.
    private func beginDrain(deadline: Int64) {
        guard !isDraining else { return }
        isDraining = true
        drainDeadline = deadline
        // Take what is already queued (those clients have connected and may be sending), then stop.
        acceptConnections()
        stoppedAccepting = true
        if let listener {
            if acceptPausedUntil == nil { epoll.remove(listener.descriptor) }
            context.listenerShutdown.workerStoppedAccepting()
        }
        for connection in live.reversed() where !connection.isClosed && connection.isIdle {
            guard readInput(connection) else { continue }
            if connection.bufferedInput > 0 || connection.peerFinished {
                drive(connection)
            } else if connection.requestsServed == 0 {
                arm(connection, .timeout(.idle), milliseconds: min(Self.drainFirstRequestMilliseconds, deadline - now))
            } else {
                close(connection)
            }
        }
    }
}

extension Connection {
    /// An async handler or a stream producer is at work: nothing more is parsed until it is done.
    var isWaitingForProducer: Bool {
        switch phase {
        case .awaitingResponse, .streaming: true
        default: false
        }
    }

    /// Between requests: nothing buffered, nothing to write, not closing.
    var isIdle: Bool {
        phase == .head && bufferedInput == 0 && !hasPendingOutput && !isLingering && !closeAfterOutput
    }
}
