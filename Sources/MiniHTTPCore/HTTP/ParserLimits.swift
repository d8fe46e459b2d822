/// The bounds a request must stay within; each is checked as bytes arrive, before more are buffered.
package struct ParserLimits: Sendable, Equatable {
    /// Longest request target (RFC 9112 §3 recommends accepting at least 8000 octets).
    package var maxURIBytes: Int
    /// Longest header section, the field lines after the request line (CRLFs included, not the empty line).
    package var maxHeaderBytes: Int
    /// Longest body, declared or decoded.
    package var maxBodyBytes: Int
    /// Most field lines in one header section.
    package var maxHeaderCount: Int

    package init(maxURIBytes: Int = 8192, maxHeaderBytes: Int = 65536, maxBodyBytes: Int = 1 << 20, maxHeaderCount: Int = 128) {
        self.maxURIBytes = maxURIBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// Most empty lines (CRLF) ignored before a request line. RFC 9112 §2.2 asks a server to ignore at
    /// least one (a client may send a CRLF after a POST body); llhttp and nginx skip any number. A few cover
    /// every client quirk known; more is a 400, so they cannot grow a head past ``maxHeadBytes``.
    package static let maxLeadingEmptyLines = 4

    /// Longest request line, CRLF included: the target plus room for the method (at most 22 bytes), two
    /// spaces, `HTTP/x.y` and CRLF.
    package var maxRequestLineBytes: Int { maxURIBytes + 34 }

    /// Longest request head: from the first byte of the parse window (leading empty lines included) to the
    /// end of the empty line that ends the head. The parser never answers `.incomplete` for a window of this
    /// many bytes or more (it has failed with 400, 414 or 431 by then), so it is the input budget a
    /// connection needs while it reads a head: a full buffer of this size always gets a verdict.
    package var maxHeadBytes: Int { 2 * Self.maxLeadingEmptyLines + maxRequestLineBytes + maxHeaderBytes + 2 }
}
