import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// One client connection, owned by exactly one worker: its lifecycle (`state`, where every decision
/// lives), its buffers, the request being parsed, and what is waiting to be written. Only the owning
/// worker's thread ever touches it.
final class Connection {
    // The stored properties below are `@exclusivity(unchecked)`: only the owning worker's thread touches a
    // connection, and under load the runtime's dynamic exclusivity checks on class properties cost about 3%
    // of the CPU (perf: swift_beginAccess, AccessSet::insert). The test suite runs this code too.

    /// The body of a response too large to copy into `output`, written after it.
    enum OutputTail {
        case bytes(ArraySlice<UInt8>, sent: Int)
        case file(OpenFile, offset: Int, remaining: Int)
    }

    let descriptor: Int32
    /// The descriptor and a generation, so an event or message for an earlier connection that had the
    /// same descriptor number is recognised and dropped.
    let token: UInt64
    /// The peer's address as text, which connection limits count by.
    let peerAddress: String
    /// The client: the peer, or the client a trusted proxy's PROXY header names.
    var clientAddress: IPAddress
    /// `clientAddress` as text, for handlers and the access log.
    var remoteAddress: String
    /// The current request's client according to its `Forwarded`/`X-Forwarded-For` fields, when it came
    /// from a trusted proxy and they name one.
    var forwardedClient: (address: IPAddress, text: String)?
    /// Position in the worker's list of live connections.
    @exclusivity(unchecked) var listIndex = 0

    /// The lifecycle: phase, output and input state. Changed only through `state.on(_:now:)` (tests build
    /// states directly).
    @exclusivity(unchecked) var state: ConnectionState
    /// `state.deadline(…)`, kept for the worker's sweep (`.max`: none).
    @exclusivity(unchecked) var deadline: Int64 = .max
    var isClosed: Bool { state.isClosed }

    // Readiness, as edge-triggered epoll reported it: an edge is not repeated, so remember it.
    /// The socket may hold bytes not read yet (reading stopped at the budget, or none was read).
    @exclusivity(unchecked) var mayHaveInput = true
    /// epoll reported a hang-up: read on to the end-of-file rather than stop at a short read.
    @exclusivity(unchecked) var peerHungUp = false

    // Input: bytes [inputStart, inputEnd) of `input` are received and not yet consumed. `input` is empty —
    // no storage at all — while the connection is idle, so an idle keep-alive connection holds no buffer.
    @exclusivity(unchecked) var input: [UInt8] = []
    @exclusivity(unchecked) var inputStart = 0
    @exclusivity(unchecked) var inputEnd = 0

    // The request being read or answered (at `inputStart`).
    @exclusivity(unchecked) var parser: RequestParser
    @exclusivity(unchecked) var head = RequestHead()
    /// The head is parsed (`head` describes the request at `inputStart`).
    @exclusivity(unchecked) var hasHead = false
    @exclusivity(unchecked) var chunkedDecoder: ChunkedDecoder?
    @exclusivity(unchecked) var chunkedBody: [UInt8] = []
    /// Body bytes of the request at `inputStart` still in the buffer behind its head (consumed with it).
    @exclusivity(unchecked) var bufferedBodyLength = 0
    /// A streamed request body's Content-Length bytes not yet handed over (nil: chunked).
    @exclusivity(unchecked) var streamedBodyRemaining: Int?
    var sentContinue = false
    /// Empty lines dropped since the last request (`Worker.skipEmptyLines`), within the parser's allowance.
    @exclusivity(unchecked) var emptyLinesSkipped = 0
    @exclusivity(unchecked) var requestsServed = 0
    /// When the current request's head was complete (monotonic microseconds), for its duration.
    @exclusivity(unchecked) var requestStartMicros: Int64 = 0

    /// The handler task or stream producer running for this connection, cancelled if it closes first.
    var pendingTask: Task<Void, Never>?
    /// A handler waiting for the next chunk of its streamed request body.
    var bodyDemand: BodyDemand?
    /// A stream producer waiting for room in the output, resumed once the client has read enough.
    var streamAcknowledgement: StreamAcknowledgement?

    // Output: `output[outputSent...]`, then `tail`.
    @exclusivity(unchecked) var output: [UInt8] = []
    @exclusivity(unchecked) var outputSent = 0
    @exclusivity(unchecked) var tail: OutputTail?
    /// Responses queued but not completely written, in order, and the byte counts that tell when each is.
    @exclusivity(unchecked) var ledger = ResponseLedger()

    init(descriptor: Int32, generation: UInt32, peer: IPAddress, peerAddress: String, limits: ParserLimits,
         now: Int64, expectsProxyHeader: Bool) {
        self.descriptor = descriptor
        self.token = UInt64(UInt32(bitPattern: descriptor)) | UInt64(generation) << 32
        self.peerAddress = peerAddress
        self.clientAddress = peer
        self.remoteAddress = peerAddress
        self.parser = RequestParser(limits: limits)
        self.state = ConnectionState(now: now, expectsProxyHeader: expectsProxyHeader)
    }

    var bufferedInput: Int { inputEnd - inputStart }
    var pendingOutputBytes: Int { output.count - outputSent }
    var hasPendingOutput: Bool { outputSent < output.count || tail != nil }

    /// Forgets the request just answered (`consumed` bytes at `inputStart`), ready to parse the next one.
    func finishRequest(consumed: Int) {
        inputStart += consumed
        if inputStart == inputEnd {
            inputStart = 0
            inputEnd = 0
        }
        parser.reset()
        head.reset()
        hasHead = false
        chunkedDecoder = nil
        chunkedBody.removeAll(keepingCapacity: false)
        bufferedBodyLength = 0
        streamedBodyRemaining = nil
        sentContinue = false
        emptyLinesSkipped = 0
        forwardedClient = nil
    }

    /// Drops `count` input bytes at `offset`, sliding what follows (a pipelined request) into their place.
    func removeInput(at offset: Int, count: Int) {
        let rest = inputEnd - offset - count
        input.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            base.advanced(by: offset).copyMemory(from: base + offset + count, byteCount: rest)
        }
        inputEnd = offset + rest
    }

    /// Moves the unconsumed bytes to the front of the buffer, so more can be read after them.
    func compactInput() {
        guard inputStart > 0 else { return }
        let count = bufferedInput
        input.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            base.copyMemory(from: base + inputStart, byteCount: count)
        }
        inputStart = 0
        inputEnd = count
    }
}
