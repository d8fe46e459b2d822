/// Decodes a chunked request body (RFC 9112 §7.1) as bytes arrive, appending the data to a body buffer.
///
/// A small state machine that can stop at any byte. Chunk sizes are bounded against overflow; extensions
/// are checked against their grammar and trailers against the field-line grammar, then skipped, and both
/// count against `maxHeaderBytes`; the decoded body counts against `maxBodyBytes`.
///
/// It keeps no input: every call consumes every byte it is given up to the end of the body (``Result``), so
/// ``maxPendingBytes`` is 0 and a caller may drop the raw bytes after each call. The buffer a chunked body
/// needs is therefore one read's worth of raw bytes plus the decoded body (at most `maxBodyBytes`).
package struct ChunkedDecoder: Sendable {
    package enum Result: Equatable {
        /// All input was consumed; more is needed.
        case needMore
        /// The body ended; `consumed` bytes of the input belonged to it.
        case done(consumed: Int)
        case failed(HTTPParseError)
    }

    private enum State: Sendable {
        case size, sizeLineFeed
        /// Chunk extensions (RFC 9112 §7.1.1): `*( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )`.
        /// `whitespaceBeforeSemicolon` is BWS that only a `;` may follow (`5 xyz`, `5 5`, `5 \r\n` are refused).
        case whitespaceBeforeSemicolon, extensionNameStart, extensionName, extensionAfterName
        case extensionValueStart, extensionToken, extensionQuoted, extensionQuotedPair, extensionAfterQuoted
        case data, dataCarriageReturn, dataLineFeed
        case trailerLineStart, trailerLine, trailerLineFeed, finalLineFeed
    }

    /// The most undecoded input bytes the decoder ever needs to see again: none. After `.needMore` all the
    /// input was consumed (its effect is in the decoder's state and the body); after `.done(consumed:)` the
    /// bytes past `consumed` belong to the next request.
    package static let maxPendingBytes = 0

    private let limits: ParserLimits
    private var state = State.size
    private var chunkSize = 0
    private var sizeDigits = 0
    private var metadataBytes = 0
    /// Whether the current trailer line has reached its colon (before it, only token bytes are allowed).
    private var trailerSawColon = false
    package private(set) var decodedBytes = 0

    package init(limits: ParserLimits) {
        self.limits = limits
    }

    /// Decodes from `input`, appending data to `body`. Returns how the body stands; with `.needMore` every
    /// byte of `input` has been consumed.
    package mutating func decode(_ input: UnsafeRawBufferPointer, into body: inout [UInt8]) -> Result {
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
                return nil
            }
            guard sizeDigits > 0 else { return .invalidChunkedBody }
            if byte == ASCII.carriageReturn {
                state = .sizeLineFeed
                return nil
            }
            return extensionStep(byte) ?? countMetadata()
        case .whitespaceBeforeSemicolon, .extensionNameStart, .extensionName, .extensionAfterName,
             .extensionValueStart, .extensionToken, .extensionQuoted, .extensionQuotedPair, .extensionAfterQuoted:
            if let error = extensionStep(byte) { return error }
            return state == .sizeLineFeed ? nil : countMetadata()
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

    /// Advances over one byte of the chunk-size line after the size digits (the CR right after the digits
    /// is handled by the caller).
    private mutating func extensionStep(_ byte: UInt8) -> HTTPParseError? {
        let isWhitespace = ASCII.isWhitespace(byte)
        let next: State?
        switch state {
        case .size, .whitespaceBeforeSemicolon:
            next = byte == ASCII.semicolon ? .extensionNameStart : isWhitespace ? .whitespaceBeforeSemicolon : nil
        case .extensionNameStart:
            next = isWhitespace ? .extensionNameStart : ASCII.isTokenByte(byte) ? .extensionName : nil
        case .extensionName:
            next = ASCII.isTokenByte(byte) ? .extensionName : afterExtensionItem(byte, equalsAllowed: true)
        case .extensionAfterName:
            next = byte == ASCII.equals ? .extensionValueStart : byte == ASCII.semicolon ? .extensionNameStart
                : isWhitespace ? .extensionAfterName : nil
        case .extensionValueStart:
            next = isWhitespace ? .extensionValueStart : byte == ASCII.quote ? .extensionQuoted
                : ASCII.isTokenByte(byte) ? .extensionToken : nil
        case .extensionToken:
            next = ASCII.isTokenByte(byte) ? .extensionToken : afterExtensionItem(byte, equalsAllowed: false)
        case .extensionQuoted:
            // qdtext (HTAB, SP, VCHAR but the quote and backslash, obs-text); quoted-pair after a backslash.
            next = byte == ASCII.quote ? .extensionAfterQuoted : byte == ASCII.backslash ? .extensionQuotedPair
                : ASCII.isFieldValueByte(byte) ? .extensionQuoted : nil
        case .extensionQuotedPair:
            next = ASCII.isFieldValueByte(byte) ? .extensionQuoted : nil
        case .extensionAfterQuoted:
            next = afterExtensionItem(byte, equalsAllowed: false)
        default:
            next = nil
        }
        guard let next else { return .invalidChunkedBody }
        state = next
        return nil
    }

    /// What may follow an extension's name or value: CR (the line ends), `;` (another extension),
    /// whitespace (then only `;`, or `=` after a name).
    private func afterExtensionItem(_ byte: UInt8, equalsAllowed: Bool) -> State? {
        switch byte {
        case ASCII.carriageReturn: .sizeLineFeed
        case ASCII.semicolon: .extensionNameStart
        case ASCII.equals where equalsAllowed: .extensionValueStart
        case ASCII.space, ASCII.tab: equalsAllowed ? .extensionAfterName : .whitespaceBeforeSemicolon
        default: nil
        }
    }

    private mutating func countMetadata() -> HTTPParseError? {
        metadataBytes += 1
        return metadataBytes > limits.maxHeaderBytes ? .headerTooLarge : nil
    }
}
