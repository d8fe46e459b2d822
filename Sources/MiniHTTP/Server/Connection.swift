/// One client connection, owned by exactly one worker: its buffers, the parser's state, what is waiting
/// to be written, and its single deadline. Only the owning worker's thread ever touches it.
final class Connection {
    // The stored properties below are `@exclusivity(unchecked)`: only the owning worker's thread touches a
    // connection, and under load the runtime's dynamic exclusivity checks on class properties cost about 3%
    // of the CPU (perf: swift_beginAccess, AccessSet::insert). The test suite runs this code too.
    /// What the connection is doing with its input.
    enum Phase: Equatable {
        /// Reading a request head.
        case head
        /// The head is complete; waiting for all `Content-Length` bytes of the body.
        case body(Int)
        /// The head is complete; decoding a chunked body.
        case chunked
        /// An async handler is running for the request at `inputStart` (whose body is this long); nothing
        /// more is parsed until its response comes back through the worker's mailbox.
        case awaitingResponse(bodyLength: Int)
        /// A handler is reading the request body as it arrives: `remaining` Content-Length bytes, or a
        /// chunked body (nil) through `chunkedDecoder`. Body bytes leave the buffer as they are handed over.
        case streamingBody(remaining: Int?)
        /// A streamed response body is being produced; nothing more is parsed until it ends. After it,
        /// the connection stays open if `keepAlive` (chunked framing) or closes (a close-delimited body).
        case streaming(keepAlive: Bool, chunked: Bool)
        /// No more requests will be read: the last response is being written, then the connection ends.
        case closing
    }

    /// Why the connection's deadline is set; what happens when it passes.
    enum DeadlineKind: Equatable {
        case none
        case timeout(TimeoutKind)
        /// Discarding input after an error response before closing (a lingering close).
        case linger
    }

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
    /// The connection must begin with a PROXY protocol header (it comes from a trusted proxy).
    var awaitingProxyHeader = false
    /// The current request's client according to its `Forwarded`/`X-Forwarded-For` fields, when it came
    /// from a trusted proxy and they name one.
    var forwardedClient: (address: IPAddress, text: String)?
    /// Position in the worker's list of live connections.
    @exclusivity(unchecked) var listIndex = 0
    @exclusivity(unchecked) var isClosed = false

    // Input: bytes [inputStart, inputEnd) of `input` are received and not yet consumed. `input` is empty —
    // no storage at all — while the connection is idle, so an idle keep-alive connection holds no buffer.
    @exclusivity(unchecked) var input: [UInt8] = []
    @exclusivity(unchecked) var inputStart = 0
    @exclusivity(unchecked) var inputEnd = 0
    /// The kernel may hold more bytes than we read (we stopped because the buffer was full).
    @exclusivity(unchecked) var socketMayHaveInput = false
    /// The client has finished sending (`recv` returned 0).
    @exclusivity(unchecked) var peerFinished = false
    /// epoll reported a hang-up; the end-of-file is still to be read.
    @exclusivity(unchecked) var peerHungUp = false

    @exclusivity(unchecked) var parser: RequestParser
    @exclusivity(unchecked) var head = RequestHead()
    @exclusivity(unchecked) var phase = Phase.head
    @exclusivity(unchecked) var chunkedDecoder: ChunkedDecoder?
    @exclusivity(unchecked) var chunkedBody: [UInt8] = []
    var sentContinue = false
    @exclusivity(unchecked) var requestsServed = 0
    /// The async handler running for this connection, cancelled if the connection closes first.
    var pendingTask: Task<Void, Never>?
    /// A handler waiting for the next chunk of its streamed request body.
    var bodyDemand: BodyDemand?
    /// A stream producer waiting for room in the output, resumed once the client has read enough.
    var streamAcknowledgement: StreamAcknowledgement?
    /// When the current request's head was complete (monotonic microseconds), for its duration.
    @exclusivity(unchecked) var requestStartMicros: Int64 = 0

    // Output: `output[outputSent...]`, then `tail`.
    @exclusivity(unchecked) var output: [UInt8] = []
    @exclusivity(unchecked) var outputSent = 0
    @exclusivity(unchecked) var tail: OutputTail?
    /// A write would block: wait for `EPOLLOUT` before writing (or parsing) more.
    @exclusivity(unchecked) var outputBlocked = false
    @exclusivity(unchecked) var closeAfterOutput = false
    /// The connection ends after an error: discard input for a while before closing, so the client reads
    /// the error response instead of a reset.
    var lingerOnClose = false
    var isLingering = false

    @exclusivity(unchecked) var deadline: Int64 = .max
    @exclusivity(unchecked) var deadlineKind = DeadlineKind.none

    init(descriptor: Int32, generation: UInt32, peer: IPAddress, peerAddress: String, limits: ParserLimits) {
        self.descriptor = descriptor
        self.token = UInt64(UInt32(bitPattern: descriptor)) | UInt64(generation) << 32
        self.peerAddress = peerAddress
        self.clientAddress = peer
        self.remoteAddress = peerAddress
        self.parser = RequestParser(limits: limits)
    }

    var bufferedInput: Int { inputEnd - inputStart }
    var hasPendingOutput: Bool { outputSent < output.count || tail != nil }

    /// Forgets the request just answered, ready to parse the next one from `inputStart`.
    func finishRequest(consumed: Int) {
        inputStart += consumed
        if inputStart == inputEnd {
            inputStart = 0
            inputEnd = 0
        }
        parser.reset()
        head.reset()
        chunkedDecoder = nil
        chunkedBody.removeAll(keepingCapacity: false)
        sentContinue = false
        forwardedClient = nil
        if phase != .closing { phase = .head }
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
