import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// The responses queued on a connection and not yet completely handed to the kernel, in order.
///
/// A response is counted (metrics) and logged when its last byte is written, not when it is encoded: its
/// duration runs from its head's arrival to that moment, and a response that never leaves (the client
/// vanished) is still accounted for when the connection closes. Positions are running byte counts of
/// everything queued (`queued`) and written (`sent`) on the connection. Storage is kept between
/// requests: recording a response allocates nothing once the arrays have grown.
struct ResponseLedger {
    struct Entry {
        var status: Status
        var method: HTTPMethod
        /// Body bytes sent (for the access log): 0 for HEAD.
        var bodyBytes: Int
        var startMicros: Int64
        /// The response is complete once `sent` reaches this (`Int.max` while its stream is produced).
        var end: Int
        /// Where its access-log line (without the duration) ends in `logLines`.
        var logEnd: Int
    }

    private var entries: [Entry] = []
    private var firstPending = 0
    /// Access-log lines of the pending entries, each without its duration and newline.
    var logLines: [UInt8] = []
    private var logStart = 0
    private(set) var queued = 0
    private(set) var sent = 0

    var isEmpty: Bool { firstPending == entries.count }

    mutating func didQueue(_ count: Int) { queued += count }
    mutating func didSend(_ count: Int) { sent += count }

    /// Records a response whose bytes have just been queued (`streaming`: more will follow).
    mutating func record(status: Status, method: HTTPMethod, bodyBytes: Int, startMicros: Int64, streaming: Bool) {
        entries.append(Entry(status: status, method: method, bodyBytes: bodyBytes, startMicros: startMicros,
                             end: streaming ? .max : queued, logEnd: logLines.count))
    }

    /// The streamed body of the last response is complete: it ends with what is queued now.
    mutating func streamEnded() {
        guard !isEmpty else { return }
        entries[entries.count - 1].end = queued
    }

    /// Hands each entry that is completely written (all of them if `all`) to `finish`, with its log line.
    mutating func takeCompleted(all: Bool = false, _ finish: (Entry, ArraySlice<UInt8>) -> Void) {
        while firstPending < entries.count, all || entries[firstPending].end <= sent {
            let entry = entries[firstPending]
            finish(entry, logLines[logStart..<entry.logEnd])
            logStart = entry.logEnd
            firstPending += 1
        }
        if firstPending == entries.count {
            entries.removeAll(keepingCapacity: true)
            logLines.removeAll(keepingCapacity: true)
            firstPending = 0
            logStart = 0
        }
    }
}
