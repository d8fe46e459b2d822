/// The result of feeding bytes to the parser.
package enum HeadParseResult: Equatable {
    /// The head is not complete yet: read more and call again with the same window, grown.
    case incomplete
    /// The head is complete; `RequestHead.length` bytes of the window belong to it.
    case complete
    case failed(HTTPParseError)
}

/// An incremental HTTP/1.1 request-head parser over bytes (RFC 9112 §2–§6).
///
/// It is fed the bytes from where the previous request ended; each line is checked once, as soon as its
/// CRLF arrives, and the position is remembered, so a head that arrives a byte at a time costs linear work.
/// Limits are enforced before the head is complete: a window of `ParserLimits.maxHeadBytes` bytes or more
/// always gets `.complete` or `.failed`, never `.incomplete`. It never allocates once `RequestHead.fields`
/// has grown.
package struct RequestParser: Sendable {
    package let limits: ParserLimits
    /// Where the next unchecked line starts.
    private var lineStart = 0
    /// How far the search for the current line's LF has got.
    private var searchedUpTo = 0
    /// Where the request line starts (after any empty lines, RFC 9112 §2.2); nil until it is complete.
    private var requestLineStart: Int?
    /// Where the field lines begin.
    private var fieldsStart = 0
    private var leadingEmptyLines = 0
    private var sawContentLength = false
    private var hostSeen = false
    private var transferCodings = TransferCodings()

    package init(limits: ParserLimits) {
        self.limits = limits
    }

    /// Forgets the previous request, ready for the next one at the start of a new window.
    package mutating func reset() {
        self = RequestParser(limits: limits)
    }

    /// Continues parsing `window` (which begins where the current request begins, and only ever grows
    /// between calls) into `head`.
    package mutating func parse(_ window: UnsafeRawBufferPointer, into head: inout RequestHead) -> HeadParseResult {
        while true {
            // The common case first: a well-formed field line read in one pass. Tried once per line (not
            // again while it arrives piecemeal: the general path below remembers how far it searched).
            if requestLineStart != nil, searchedUpTo <= lineStart, let field = quickFieldLine(window, from: lineStart) {
                if let error = limitError(window, end: field.lineFeed + 1, lineEnded: true) { return .failed(error) }
                lineStart = field.lineFeed + 1
                guard head.fields.count < limits.maxHeaderCount else { return .failed(.headerTooLarge) }
                head.fields.append(HeaderField(name: field.name, value: field.value))
                if let error = recognise(window, name: field.name, value: field.value, into: &head) { return .failed(error) }
                continue
            }
            // Search only what has not been searched: a line arriving a byte at a time costs linear work.
            let searchFrom = max(lineStart, searchedUpTo)
            guard let lineFeed = window.firstIndex(of: ASCII.lineFeed, in: searchFrom..<window.count) else {
                searchedUpTo = window.count
                if let error = limitError(window, end: window.count, lineEnded: false) { return .failed(error) }
                return .incomplete
            }
            // Limits first, so the verdict cannot depend on how the bytes were split across reads.
            if let error = limitError(window, end: lineFeed + 1, lineEnded: true) { return .failed(error) }
            // RFC 9112 §2.2 allows a bare LF as a terminator; we take the stricter answer and refuse it.
            guard lineFeed > lineStart, window[lineFeed - 1] == ASCII.carriageReturn else {
                return .failed(.invalidLineEnding)
            }
            let line = lineStart..<(lineFeed - 1)
            lineStart = lineFeed + 1

            if requestLineStart == nil {
                if line.isEmpty {
                    // A few empty lines before the request line are ignored (RFC 9112 §2.2); more are a 400.
                    leadingEmptyLines += 1
                    if leadingEmptyLines > ParserLimits.maxLeadingEmptyLines { return .failed(.invalidRequestLine) }
                    continue
                }
                requestLineStart = line.lowerBound
                fieldsStart = lineStart
                if let error = parseRequestLine(window, line, into: &head) { return .failed(error) }
                continue
            }

            if line.isEmpty {
                head.length = lineStart
                if let error = finishHead(&head) { return .failed(error) }
                return .complete
            }
            if let error = parseField(window, line, into: &head) { return .failed(error) }
        }
    }

    /// Whether the bytes up to `end` (the end of the current line, or of what has arrived of it) break a
    /// limit: a request line longer than `maxRequestLineBytes`, or a header section (with its empty line)
    /// longer than `maxHeaderBytes + 2`. A line that has not ended yet already breaks it when it has reached
    /// the limit: its end can only come later. So a window of `maxHeadBytes` never waits for more.
    private func limitError(_ window: UnsafeRawBufferPointer, end: Int, lineEnded: Bool) -> HTTPParseError? {
        // Room for the line's LF (or, in the header section, for the empty line's) that has not arrived.
        let unseen = lineEnded ? 0 : 1
        if requestLineStart == nil {
            guard end + unseen - lineStart > limits.maxRequestLineBytes else { return nil }
            let hasSpace = window.firstIndex(of: ASCII.space, in: lineStart..<(lineStart + 33)) != nil
            return hasSpace ? .uriTooLong : .invalidRequestLine
        }
        return end + unseen - fieldsStart > limits.maxHeaderBytes + 2 ? .headerTooLarge : nil
    }

    // MARK: Request line (RFC 9112 §3)

    private func parseRequestLine(
        _ bytes: UnsafeRawBufferPointer, _ line: Range<Int>, into head: inout RequestHead
    ) -> HTTPParseError? {
        head.requestLine = line
        var index = line.lowerBound
        while index < line.upperBound, ASCII.isTokenByte(bytes[index]) { index += 1 }
        let methodRange = line.lowerBound..<index
        guard !methodRange.isEmpty, index < line.upperBound, bytes[index] == ASCII.space else {
            return .invalidRequestLine
        }
        index += 1
        let targetStart = index
        while index < line.upperBound, ASCII.isTargetByte(bytes[index]) { index += 1 }
        let target = targetStart..<index
        guard !target.isEmpty, index < line.upperBound, bytes[index] == ASCII.space else {
            return index < line.upperBound && bytes[index] != ASCII.space ? .invalidTarget : .invalidRequestLine
        }
        if target.count > limits.maxURIBytes { return .uriTooLong }
        index += 1
        guard let version = Self.parseVersion(bytes, index..<line.upperBound) else { return .invalidRequestLine }
        guard let version else { return .unsupportedVersion }
        guard let method = HTTPMethod.parse(bytes, methodRange) else { return .unknownMethod }
        head.method = method
        head.version = version
        head.target = target
        return Self.parseTarget(bytes, target, method: method, into: &head)
    }

    /// `HTTP/` DIGIT `.` DIGIT. Returns nil for bad syntax, `.some(nil)` for a major version other than 1.
    private static func parseVersion(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> HTTPVersion?? {
        guard range.count == 8 else { return nil }
        let s = range.lowerBound
        guard bytes[s] == 0x48, bytes[s + 1] == 0x54, bytes[s + 2] == 0x54, bytes[s + 3] == 0x50,
              bytes[s + 4] == ASCII.slash, ASCII.isDigit(bytes[s + 5]), bytes[s + 6] == ASCII.dot,
              ASCII.isDigit(bytes[s + 7])
        else { return nil }
        guard bytes[s + 5] == 0x31 else { return .some(nil) }
        return bytes[s + 7] == ASCII.zero ? .http1_0 : .http1_1
    }

    // MARK: Field lines (RFC 9112 §5, RFC 9110 §5.5)

    /// A complete, well-formed field line at `start` — token, colon, optional whitespace, a value of field
    /// bytes, CRLF — found and checked in one pass: the value scan stops at the first control byte, which
    /// must be the CR. Anything else (an incomplete line, a bad byte, folding, the empty line) returns nil,
    /// and the general path decides, so the verdicts are the same either way.
    @inline(__always)
    private func quickFieldLine(
        _ bytes: UnsafeRawBufferPointer, from start: Int
    ) -> (name: Range<Int>, value: Range<Int>, lineFeed: Int)? {
        let end = bytes.count
        guard var index = ASCII.firstColonOrControl(bytes, from: start), index > start, bytes[index] == ASCII.colon,
              ASCII.isToken(bytes, start..<index)
        else { return nil }
        let name = start..<index
        index += 1
        while index < end, ASCII.isWhitespace(bytes[index]) { index += 1 }
        let valueStart = index
        var stop = index
        while true {
            guard let found = ASCII.firstControl(bytes, from: stop) else { return nil }
            guard bytes[found] == ASCII.tab else {
                stop = found
                break
            }
            stop = found + 1
        }
        guard stop + 1 < end, bytes[stop] == ASCII.carriageReturn, bytes[stop + 1] == ASCII.lineFeed else { return nil }
        return (name, ASCII.trimmingWhitespace(bytes, valueStart..<stop), stop + 1)
    }

    private mutating func parseField(
        _ bytes: UnsafeRawBufferPointer, _ line: Range<Int>, into head: inout RequestHead
    ) -> HTTPParseError? {
        let first = bytes[line.lowerBound]
        if ASCII.isWhitespace(first) { return .obsoleteLineFolding }
        var index = line.lowerBound
        while index < line.upperBound, ASCII.isTokenByte(bytes[index]) { index += 1 }
        // No whitespace is allowed between the field name and the colon (RFC 9112 §5.1).
        guard index > line.lowerBound, index < line.upperBound, bytes[index] == ASCII.colon else {
            return .invalidHeaderField
        }
        let name = line.lowerBound..<index
        index += 1
        let value = ASCII.trimmingWhitespace(bytes, index..<line.upperBound)
        guard ASCII.isFieldValue(bytes, value) else { return .invalidHeaderField }
        guard head.fields.count < limits.maxHeaderCount else { return .headerTooLarge }
        head.fields.append(HeaderField(name: name, value: value))
        return recognise(bytes, name: name, value: value, into: &head)
    }

    /// Records the fields that decide framing and persistence, in the same pass.
    private mutating func recognise(
        _ bytes: UnsafeRawBufferPointer, name: Range<Int>, value: Range<Int>, into head: inout RequestHead
    ) -> HTTPParseError? {
        switch name.count {
        case 4 where bytes.equalsIgnoringCase(name, "host"):
            guard !hostSeen else { return .duplicateHost }
            hostSeen = true
            guard HostValidator.isValid(bytes, value) else { return .invalidHost }
            // An absolute-form target has already set the host, and its authority wins (RFC 9112 §3.2.2).
            if head.host == nil { head.host = value }
        case 14 where bytes.equalsIgnoringCase(name, "content-length"):
            guard !sawContentLength else { return .duplicateContentLength }
            sawContentLength = true
            guard let length = Self.parseDecimal(bytes, value) else { return .invalidContentLength }
            head.contentLength = length
        case 17 where bytes.equalsIgnoringCase(name, "transfer-encoding"):
            head.hasTransferEncoding = true
            guard transferCodings.add(bytes, value) else { return .invalidHeaderField }
        case 10 where bytes.equalsIgnoringCase(name, "connection"):
            ConnectionOptions.scan(bytes, value, into: &head)
        case 6 where bytes.equalsIgnoringCase(name, "expect"):
            guard bytes.equalsIgnoringCase(value, "100-continue") else { return .unsupportedExpectation }
            head.expectsContinue = true
        default:
            break
        }
        return nil
    }

    /// 1*DIGIT, at most 18 digits so that it cannot overflow.
    private static func parseDecimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for index in range {
            let byte = bytes[index]
            guard ASCII.isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - ASCII.zero)
        }
        return value
    }

    /// The checks that need the whole head (RFC 9112 §3.2, §6.1, §6.3).
    private func finishHead(_ head: inout RequestHead) -> HTTPParseError? {
        if head.version == .http1_1, !hostSeen { return .missingHost }
        // An empty Host names no host: the target URI it completes would be invalid (RFC 9110 §4.2.1: an
        // http URI with an empty host is rejected), unless the target carries the authority itself.
        if head.targetForm != .absolute, let host = head.host, host.isEmpty { return .invalidHost }
        if head.hasTransferEncoding {
            if head.version == .http1_0 { return .transferEncodingInHTTP1_0 }
            if head.contentLength != nil { return .contentLengthWithTransferEncoding }
            if let error = transferCodings.verdict { return error }
            head.isChunked = true
        }
        if let length = head.contentLength, length > limits.maxBodyBytes { return .bodyTooLarge }
        return nil
    }
}
