/// Reads the Connection field's options (RFC 9110 §7.6.1) that decide persistence: `close` and `keep-alive`.
package enum ConnectionOptions {
    package static func scan(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>, into head: inout RequestHead) {
        // The common single values first.
        if bytes.equalsIgnoringCase(value, "keep-alive") {
            head.connectionKeepAlive = true
            return
        }
        if bytes.equalsIgnoringCase(value, "close") {
            head.connectionClose = true
            return
        }
        var index = value.lowerBound
        while index < value.upperBound {
            let start = index
            while index < value.upperBound, bytes[index] != ASCII.comma { index += 1 }
            let option = ASCII.trimmingWhitespace(bytes, start..<index)
            index += 1  // past the comma
            if bytes.equalsIgnoringCase(option, "close") {
                head.connectionClose = true
            } else if bytes.equalsIgnoringCase(option, "keep-alive") {
                head.connectionKeepAlive = true
            }
        }
    }
}
