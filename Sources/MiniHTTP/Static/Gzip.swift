import CZlib

/// gzip through zlib: which responses to compress, whether the client accepts it, and the compression.
enum Gzip {
    /// text/*, JavaScript, JSON, SVG and XML, wasm: what compresses well. Images, fonts (woff2) and
    /// archives are compressed already.
    static func isCompressible(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.contains("javascript") || contentType.contains("json")
            || contentType.contains("xml") || contentType == "application/wasm"
    }

    /// Whether `Accept-Encoding` allows gzip (RFC 9110 §12.5.3): `gzip` (or `x-gzip`) with a non-zero q,
    /// or `*` with a non-zero q when gzip is not named.
    static func isAccepted<Bytes: Collection<UInt8>>(by acceptEncoding: Bytes?) -> Bool where Bytes.Index == Int {
        guard let value = acceptEncoding else { return false }
        var gzipQuality: Bool?
        var anyQuality: Bool?
        var index = value.startIndex
        while index < value.endIndex {
            let start = index
            while index < value.endIndex, value[index] != ASCII.comma { index += 1 }
            let element = value[start..<index]
            index += 1
            let (coding, acceptable) = parseElement(element)
            if coding.elementsEqual("gzip".utf8) || coding.elementsEqual("x-gzip".utf8) {
                gzipQuality = acceptable
            } else if coding.elementsEqual("*".utf8) {
                anyQuality = acceptable
            }
        }
        return gzipQuality ?? anyQuality ?? false
    }

    /// The lowercased coding name and whether its q-value is above zero.
    private static func parseElement<Bytes: Collection<UInt8>>(_ element: Bytes) -> ([UInt8], Bool) {
        let parts = element.split(separator: ASCII.semicolon, omittingEmptySubsequences: false)
        let name = (parts.first.map { trim($0) } ?? []).map(ASCII.lowercased)
        var acceptable = true
        for parameter in parts.dropFirst() {
            let trimmed = trim(parameter).map(ASCII.lowercased)
            guard trimmed.starts(with: [0x71, ASCII.equals]) else { continue }  // "q="
            let number = trimmed.dropFirst(2)
            // q=0, q=0.0, q=0.00, q=0.000 mean "not acceptable".
            acceptable = !(number.first == ASCII.zero && number.dropFirst().allSatisfy { $0 == ASCII.dot || $0 == ASCII.zero })
        }
        return (name, acceptable)
    }

    private static func trim<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        Array(bytes.drop { $0 == ASCII.space || $0 == ASCII.tab }.reversed().drop { $0 == ASCII.space || $0 == ASCII.tab }.reversed())
    }

    /// Compresses `input` into the gzip format at `level`; nil if zlib fails.
    static func compress<Bytes: Collection<UInt8>>(_ input: Bytes, level: Int) -> [UInt8]? {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip wrapper rather than zlib's.
        guard czlib_deflateInit2(&stream, Int32(level), 15 + 16, 8) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var source = Array(input)
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(source.count))))
        let produced = source.withUnsafeMutableBufferPointer { from in
            output.withUnsafeMutableBufferPointer { to -> Int in
                stream.next_in = from.baseAddress
                stream.avail_in = uInt(from.count)
                stream.next_out = to.baseAddress
                stream.avail_out = uInt(to.count)
                return deflate(&stream, Z_FINISH) == Z_STREAM_END ? Int(stream.total_out) : -1
            }
        }
        guard produced >= 0 else { return nil }
        output.removeLast(output.count - produced)
        return output
    }
}
