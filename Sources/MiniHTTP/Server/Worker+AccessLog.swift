import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
extension Worker {
    /// Formats the current request's access-log line (all but its duration) into the connection's ledger;
    /// it joins this worker's batch when the response has been written.
    func formatLogLine(_ connection: Connection, status: Status, bodyBytes: Int) {
        let head = connection.head
        let base = connection.inputStart
        connection.input.withUnsafeBytes { raw in
            let requestLine = head.requestLine.isEmpty || head.requestLine.upperBound + base > raw.count
                ? UnsafeRawBufferPointer(start: nil, count: 0)
                : UnsafeRawBufferPointer(rebasing: raw[(head.requestLine.lowerBound + base)..<(head.requestLine.upperBound + base)])
            var referer: UnsafeRawBufferPointer?
            var userAgent: UnsafeRawBufferPointer?
            let window = UnsafeRawBufferPointer(rebasing: raw[base...])
            for field in head.fields {
                if referer == nil, window.equalsIgnoringCase(field.name, "referer") {
                    referer = UnsafeRawBufferPointer(rebasing: window[field.value])
                } else if userAgent == nil, window.equalsIgnoringCase(field.name, "user-agent") {
                    userAgent = UnsafeRawBufferPointer(rebasing: window[field.value])
                }
            }
            AccessLogLine.format(
                into: &connection.ledger.logLines, address: connection.forwardedClient?.text ?? connection.remoteAddress,
                time: date.logTime, requestLine: requestLine, status: status.code, bytes: bodyBytes,
                referer: referer, userAgent: userAgent)
        }
    }
}
