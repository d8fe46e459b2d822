import CZlib

/// Inflates gzip data with zlib, for checking compressed responses.
func gunzip(_ data: [UInt8]) -> [UInt8]? {
    var stream = z_stream()
    guard czlib_inflateInit2(&stream, 15 + 16) == Z_OK else { return nil }
    defer { inflateEnd(&stream) }
    var input = data
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    let ok = input.withUnsafeMutableBufferPointer { source -> Bool in
        stream.next_in = source.baseAddress
        stream.avail_in = uInt(source.count)
        while true {
            let status = chunk.withUnsafeMutableBufferPointer { target -> Int32 in
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
            if status == Z_STREAM_END { return true }
            if status != Z_OK { return false }
        }
    }
    return ok ? output : nil
}
