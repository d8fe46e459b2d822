extension Worker {
    /// Adds the current request's line to this worker's access-log batch.
    func log(_ connection: Connection, status: Status, bodyBytes: Int) {
        guard accessLog != nil else { return }
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
            accessLog?.append(
                address: connection.forwardedClient?.text ?? connection.remoteAddress, time: date.logTime, requestLine: requestLine,
                status: status.code, bytes: connection.head.method == .head ? 0 : bodyBytes,
                referer: referer, userAgent: userAgent, milliseconds: (nowMicros - connection.requestStartMicros) / 1000)
        }
    }
}
