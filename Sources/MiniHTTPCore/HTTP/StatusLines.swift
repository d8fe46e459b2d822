/// Status lines encoded once (`HTTP/1.1 200 OK\r\n`), indexed by code; a status with a custom reason is
/// encoded when it is sent.
package enum StatusLines {
    private static let table: [[UInt8]] = (0..<600).map { code in
        code < 100 ? [] : Array("HTTP/1.1 \(code) \(Status.reasonPhrase(code))\r\n".utf8)
    }

    @inline(__always)
    package static func append(_ status: Status, to out: inout [UInt8]) {
        if status.hasStandardReason {
            table.withUnsafeBufferPointer { out.append(contentsOf: $0[status.code]) }
        } else {
            out.append(contentsOf: "HTTP/1.1 \(status.code) \(status.reason)\r\n".utf8)
        }
    }
}
