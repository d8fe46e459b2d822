/// The bounds a request must stay within; each is checked as bytes arrive, before more are buffered.
struct ParserLimits: Sendable, Equatable {
    /// Longest request target (RFC 9112 §3 recommends accepting at least 8000 octets).
    var maxURIBytes = 8192
    /// Longest header section, the field lines after the request line.
    var maxHeaderBytes = 65536
    /// Longest body, declared or decoded.
    var maxBodyBytes = 1 << 20
    /// Most field lines in one header section.
    var maxHeaderCount = 128
}
