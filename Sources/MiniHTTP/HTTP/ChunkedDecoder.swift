/// Decodes a chunked request body (RFC 9112 §7.1) as bytes arrive, appending the data to a body buffer.
///
/// A small state machine that can stop at any byte. Chunk sizes are bounded against overflow; extensions
/// and trailers are skipped but count against `maxHeaderBytes`; the decoded body counts against `maxBodyBytes`.
struct ChunkedDecoder: Sendable {
    enum Result: Equatable {
        /// All input was consumed; more is needed.
        case needMore
        /// The body ended; `consumed` bytes of the input belonged to it.
        case done(consumed: Int)
        case failed(HTTPParseError)
    }

    private enum State: Sendable {
        case size, extensions, sizeLineFeed
        case data, dataCarriageReturn, dataLineFeed
        case trailerLineStart, trailerLine, trailerLineFeed, finalLineFeed
    }

    private let limits: ParserLimits
    private var state = State.size
    private var chunkSize = 0
    private var sizeDigits = 0
    private var metadataBytes = 0
    /// Whether the current trailer line has reached its colon (before it, only token bytes are allowed).
    private var trailerSawColon = false
    private(set) var decodedBytes = 0

    init(limits: ParserLimits) {
        self.limits = limits
    }

    /// Decodes from `input`, appending data to `body`. Returns how the body stands; with `.needMore` every
    /// byte of `input` has been consumed.
    mutating func decode(_ input: UnsafeRawBufferPointer, into body: inout [UInt8]) -> Result {
        var index = 0
        while index < input.count {
            if state == .data {
                let take = min(chunkSize, input.count - index)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<(index + take)]))
                index += take
                chunkSize -= take
                if chunkSize == 0 { state = .dataCarriageReturn }
                continue
            }
            let byte = input[index]
            index += 1
            if let error = step(byte) { return .failed(error) }
            if state == .finalLineFeed, byte == ASCII.lineFeed { return .done(consumed: index) }
        }
        return .needMore
    }

    /// Advances over one byte outside chunk data.
    private mutating func step(_ byte: UInt8) -> HTTPParseError? {
        switch state {
        case .size:
            if let digit = ASCII.hexValue(byte) {
                // 15 hex digits cannot overflow an Int; a longer size is refused rather than wrapped.
                guard sizeDigits < 15 else { return .invalidChunkedBody }
                chunkSize = chunkSize << 4 | digit
                sizeDigits += 1
            } else if sizeDigits == 0 {
                return .invalidChunkedBody
            } else if byte == ASCII.semicolon || byte == ASCII.space || byte == ASCII.tab {
                state = .extensions
            } else if byte == ASCII.carriageReturn {
                state = .sizeLineFeed
            } else {
                return .invalidChunkedBody
            }
        case .extensions:
            if byte == ASCII.carriageReturn {
                state = .sizeLineFeed
            } else {
                guard ASCII.isFieldValueByte(byte) else { return .invalidChunkedBody }
                return countMetadata()
            }
        case .sizeLineFeed:
            guard byte == ASCII.lineFeed else { return .invalidChunkedBody }
            if chunkSize == 0 {
                state = .trailerLineStart
            } else {
                decodedBytes += chunkSize
                guard decodedBytes <= limits.maxBodyBytes else { return .bodyTooLarge }
                state = .data
            }
            sizeDigits = 0
        case .data:
            break  // handled in bulk by decode(_:into:)
        case .dataCarriageReturn:
            guard byte == ASCII.carriageReturn else { return .invalidChunkedBody }
            state = .dataLineFeed
        case .dataLineFeed:
            guard byte == ASCII.lineFeed else { return .invalidChunkedBody }
            state = .size
            chunkSize = 0
        case .trailerLineStart:
            if byte == ASCII.carriageReturn {
                state = .finalLineFeed
            } else {
                guard ASCII.isTokenByte(byte) else { return .invalidChunkedBody }
                state = .trailerLine
                trailerSawColon = false
                return countMetadata()
            }
        case .trailerLine:
            // A trailer is a field line (RFC 9112 §7.1.2): token ":" value.
            if byte == ASCII.carriageReturn {
                guard trailerSawColon else { return .invalidChunkedBody }
                state = .trailerLineFeed
            } else if trailerSawColon {
                guard ASCII.isFieldValueByte(byte) else { return .invalidChunkedBody }
                return countMetadata()
            } else if byte == ASCII.colon {
                trailerSawColon = true
            } else {
                guard ASCII.isTokenByte(byte) else { return .invalidChunkedBody }
                return countMetadata()
            }
        case .trailerLineFeed:
            guard byte == ASCII.lineFeed else { return .invalidChunkedBody }
            state = .trailerLineStart
        case .finalLineFeed:
            guard byte == ASCII.lineFeed else { return .invalidChunkedBody }
        }
        return nil
    }

    private mutating func countMetadata() -> HTTPParseError? {
        metadataBytes += 1
        return metadataBytes > limits.maxHeaderBytes ? .headerTooLarge : nil
    }
}
