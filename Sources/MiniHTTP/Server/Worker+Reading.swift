import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Reading a connection's input, never past what its state allows (`ConnectionState.inputBudget`), and
/// the per-worker pools its buffers come from.
extension Worker {
    /// What one attempt to read gave.
    enum ReadOutcome {
        /// New bytes are buffered.
        case progress
        /// Nothing more can be read now (the socket is drained, the client finished, or the state reads
        /// nothing at the moment).
        case nothing
        /// The buffer is at the state's budget and the state cannot advance with what it holds.
        case full
        /// The connection failed and was closed.
        case closed
    }

    /// Output beyond this is "answers backed up": no further requests are read or parsed until the client
    /// reads what it was sent. With the input buffer, this bounds a connection that pipelines without
    /// reading to about 16 KiB of input and 8 KiB plus one small response of output.
    static let outputHighWater = 8 * 1024

    func answersBackedUp(_ connection: Connection) -> Bool {
        connection.pendingOutputBytes >= Self.outputHighWater || connection.tail != nil
    }

    /// Reads once, up to the state's budget.
    func readInput(_ connection: Connection) -> ReadOutcome {
        guard connection.mayHaveInput else { return .nothing }
        var declaredBody: Int?
        if connection.hasHead, case .length(let length) = connection.head.framing { declaredBody = length }
        let budget = connection.state.inputBudget(
            context.connections.inputLimits, headLength: connection.hasHead ? connection.head.length : 0,
            declaredBody: declaredBody, answersBackedUp: answersBackedUp(connection))
        guard budget > 0 else { return .nothing }  // it waits in the kernel; TCP holds the client back
        guard connection.bufferedInput < budget else { return .full }
        if connection.input.isEmpty { connection.input = takeBuffer() }
        if connection.inputStart > 0, connection.inputEnd == connection.input.count { connection.compactInput() }
        let limit = connection.inputStart + budget
        if connection.inputEnd == connection.input.count {
            // Grow only as far as the budget: a large head or a declared body, never pipelined requests.
            let grown = min(max(connection.input.count * 2, Self.bufferBytes), limit)
            connection.input.append(contentsOf: repeatElement(0, count: grown - connection.input.count))
        }
        let space = min(connection.input.count, limit) - connection.inputEnd
        let result = connection.input.withUnsafeMutableBytes { raw -> IOResult in
            guard let base = raw.baseAddress else { return .failed(EINVAL) }
            return Syscall.receive(connection.descriptor, into: base + connection.inputEnd, count: space)
        }
        switch result {
        case .bytes(0):
            connection.mayHaveInput = false
            apply(connection.state.on(.endOfInput, now: now), to: connection)
            return connection.isClosed ? .closed : .nothing
        case .bytes(let count):
            connection.inputEnd += count
            counters.bytesReceived += count
            // A short read drained the socket (after a hang-up, read on to see the end-of-file).
            connection.mayHaveInput = count == space || connection.peerHungUp
            if case .idle(_, .nextRequest) = connection.state.phase, !skipEmptyLines(connection) {
                return .progress  // only empty lines: still idle, its keep-alive timeout unmoved
            }
            _ = connection.state.on(.bytesRead, now: now)
            return .progress
        case .wouldBlock:
            connection.mayHaveInput = false
            return .nothing
        case .failed:
            apply(connection.state.on(.reset, now: now), to: connection)
            return .closed
        }
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
            if buffer.capacity <= Self.bufferBytes * 2, outputPool.count < Self.maxPooledBuffers {
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
}
