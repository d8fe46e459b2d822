import CSystem
import Glibc
import Synchronization
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// Where access-log lines go: standard output, or a file reopened on SIGUSR1 for log rotation.
///
/// Workers write whole batches of lines with one `write` each to the same descriptor number; reopening
/// swaps the file behind that number with `dup2`, so no worker needs to be told or locked.
public final class AccessLogSink: Sendable {
    let descriptor: Int32
    let path: String?

    /// Logs to standard output.
    public init() {
        descriptor = STDOUT_FILENO
        path = nil
    }

    /// Logs to `path`, appending; the file is created if missing.
    public init(path: String) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError("open(\(path))") }
        descriptor = fd
        self.path = path
    }

    /// A file's descriptor is this sink's own; standard output is not.
    deinit {
        if path != nil { _ = Glibc.close(descriptor) }
    }

    /// Reopens the file at the same path (after a rotation moved the old one away).
    public func reopen() throws(SystemError) {
        guard let path else { return }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError("open(\(path))") }
        defer { _ = Glibc.close(fd) }
        guard csystem_dup3(fd, descriptor, O_CLOEXEC) >= 0 else { throw SystemError("dup3") }
    }

    func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(descriptor, base + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return  // a log that cannot be written must not stop the server
                }
            }
        }
    }
}

/// One worker's pending access-log lines, written in a batch when the loop has handled its events
/// (or when it grows large): no lock shared with other workers, no write per request.
struct AccessLogBuffer {
    let sink: AccessLogSink
    private var lines: [UInt8] = []
    static let flushBytes = 32 * 1024

    init(sink: AccessLogSink) {
        self.sink = sink
        lines.reserveCapacity(Self.flushBytes + 1024)
    }

    mutating func flush() {
        guard !lines.isEmpty else { return }
        sink.write(lines)
        lines.removeAll(keepingCapacity: true)
    }

    /// Appends a line made by `format` (without its duration) and its duration in seconds, `0.001`.
    mutating func append(line: ArraySlice<UInt8>, milliseconds: Int64) {
        lines.append(contentsOf: line)
        let duration = max(milliseconds, 0)
        lines.appendDecimal(Int(duration / 1000))
        lines.append(ASCII.dot)
        let fraction = Int(duration % 1000)
        if fraction < 100 { lines.append(ASCII.zero) }
        if fraction < 10 { lines.append(ASCII.zero) }
        lines.appendDecimal(fraction)
        lines.append(ASCII.lineFeed)
        if lines.count >= Self.flushBytes { flush() }
    }
}

/// One access-log line in the Combined Log Format, formatted when its response is queued; the duration,
/// known when the response's last byte is written, is added then (`AccessLogBuffer.append(line:milliseconds:)`):
/// `addr - - [time] "request line" status bytes "referer" "user-agent" 0.001`
struct AccessLogLine {
    static func format(
        into lines: inout [UInt8], address: String, time: [UInt8], requestLine: UnsafeRawBufferPointer, status: Int,
        bytes: Int, referer: UnsafeRawBufferPointer?, userAgent: UnsafeRawBufferPointer?
    ) {
        lines.append(contentsOf: address.utf8)
        lines.append(contentsOf: " - - [".utf8)
        lines.append(contentsOf: time)
        lines.append(contentsOf: "] \"".utf8)
        appendEscaped(requestLine, to: &lines)
        lines.append(contentsOf: "\" ".utf8)
        lines.appendDecimal(status)
        lines.append(ASCII.space)
        lines.appendDecimal(bytes)
        lines.append(contentsOf: " \"".utf8)
        appendField(referer, to: &lines)
        lines.append(contentsOf: "\" \"".utf8)
        appendField(userAgent, to: &lines)
        lines.append(contentsOf: "\" ".utf8)
    }

    private static func appendField(_ value: UnsafeRawBufferPointer?, to lines: inout [UInt8]) {
        guard let value, !value.isEmpty else {
            lines.append(0x2D)  // "-"
            return
        }
        appendEscaped(value, to: &lines)
    }

    /// As nginx does: `"`, `\` and bytes outside printable ASCII become `\xHH`, so a line cannot be forged.
    private static func appendEscaped(_ bytes: UnsafeRawBufferPointer, to lines: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if byte < 0x20 || byte >= 0x7F || byte == ASCII.quote || byte == ASCII.backslash {
                lines.append(contentsOf: [ASCII.backslash, 0x78, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            } else {
                lines.append(byte)
            }
        }
    }
}
