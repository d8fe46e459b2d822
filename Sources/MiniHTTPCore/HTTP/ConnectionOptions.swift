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
            while index < value.upperBound, bytes[index] == ASCII.space || bytes[index] == ASCII.tab
                || bytes[index] == ASCII.comma { index += 1 }
            let start = index
            while index < value.upperBound, bytes[index] != ASCII.comma { index += 1 }
            var end = index
            while end > start, bytes[end - 1] == ASCII.space || bytes[end - 1] == ASCII.tab { end -= 1 }
            let option = start..<end
            if bytes.equalsIgnoringCase(option, "close") {
                head.connectionClose = true
            } else if bytes.equalsIgnoringCase(option, "keep-alive") {
                head.connectionKeepAlive = true
            }
        }
    }
}
