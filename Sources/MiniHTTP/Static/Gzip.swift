import CZlib
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// gzip through zlib: which responses to compress, whether the client accepts it, and the compression.
enum Gzip {
    /// text/*, JavaScript, JSON, SVG and XML, wasm: what compresses well. Images, fonts (woff2) and
    /// archives are compressed already.
    static func isCompressible(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.contains("javascript") || contentType.contains("json")
            || contentType.contains("xml") || contentType == "application/wasm"
    }

    /// Whether `Accept-Encoding` allows gzip (RFC 9110 §12.5.3): `gzip` (or `x-gzip`) with a non-zero q,
    /// or `*` with a non-zero q when gzip is not named. Browsers send this field with every request, so it
    /// is read in place, without allocating.
    static func isAccepted<Bytes: Collection<UInt8>>(by acceptEncoding: Bytes?) -> Bool {
        guard let acceptEncoding else { return false }
        var gzip: Bool?
        var any: Bool?
        scan(acceptEncoding, gzip: &gzip, any: &any)
        return gzip ?? any ?? false
    }

    /// The same over every `Accept-Encoding` line of a request (a list field may be split, RFC 9110 §5.3).
    static func isAccepted(by headers: Headers) -> Bool {
        var gzip: Bool?
        var any: Bool?
        _ = headers.anyValue("accept-encoding") { value in
            scan(value, gzip: &gzip, any: &any)
            return false
        }
        return gzip ?? any ?? false
    }

    private static func scan<Bytes: Collection<UInt8>>(_ value: Bytes, gzip: inout Bool?, any: inout Bool?) {
        let scanned = value.withContiguousStorageIfAvailable { buffer -> (Bool?, Bool?) in
            var (gzip, any) = (gzip, any)
            scan(UnsafeRawBufferPointer(buffer), gzip: &gzip, any: &any)
            return (gzip, any)
        }
        if let scanned {
            (gzip, any) = scanned
        } else {
            Array(value).withUnsafeBytes { scan($0, gzip: &gzip, any: &any) }
        }
    }

    private static func scan(_ value: UnsafeRawBufferPointer, gzip gzipAcceptable: inout Bool?, any anyAcceptable: inout Bool?) {
        var index = value.startIndex
        while index < value.endIndex {
            var end = index
            while end < value.endIndex, value[end] != ASCII.comma { end += 1 }
            let (name, acceptable) = element(value, index..<end)
            if value.equalsIgnoringCase(name, "gzip") || value.equalsIgnoringCase(name, "x-gzip") {
                gzipAcceptable = acceptable
            } else if value.equalsIgnoringCase(name, "*") {
                anyAcceptable = acceptable
            }
            index = end + 1
        }
    }

    /// One list element, `coding *( OWS ";" OWS parameter )`: the coding's range, and whether its q-value
    /// is above zero. A weight that is not a qvalue (`q = 0`, `q="0"`, `q=`, `q=0.0001`) counts as zero, as
    /// nginx reads it: a malformed preference never turns compression on.
    private static func element(_ value: UnsafeRawBufferPointer, _ range: Range<Int>) -> (Range<Int>, Bool) {
        let parts = value.trimmingWhitespace(range)
        var nameEnd = parts.lowerBound
        while nameEnd < parts.upperBound, value[nameEnd] != ASCII.semicolon { nameEnd += 1 }
        let name = value.trimmingWhitespace(parts.lowerBound..<nameEnd)
        var acceptable = true
        var index = nameEnd
        while index < parts.upperBound {
            index += 1  // past ";"
            var end = index
            while end < parts.upperBound, value[end] != ASCII.semicolon { end += 1 }
            let parameter = value.trimmingWhitespace(index..<end)
            if parameter.count >= 2, ASCII.lowercased(value[parameter.lowerBound]) == 0x71,  // "q"
               value[parameter.lowerBound + 1] == ASCII.equals {
                acceptable = qvalueIsPositive(value, (parameter.lowerBound + 2)..<parameter.upperBound)
            } else if parameter.count >= 1, ASCII.lowercased(value[parameter.lowerBound]) == 0x71,
                      parameter.count == 1 || !ASCII.isTokenByte(value[parameter.lowerBound + 1]) {
                acceptable = false  // "q" without "=" right after it: a malformed weight
            }
            index = end
        }
        return (name, acceptable)
    }

    /// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )` (RFC 9110 §12.4.2) above zero; false
    /// for anything else.
    private static func qvalueIsPositive(_ value: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard let first = range.first, value[first] == ASCII.zero || value[first] == 0x31 else { return false }
        let decimals = (first + 1)..<range.upperBound
        if !decimals.isEmpty {
            guard value[decimals.lowerBound] == ASCII.dot, decimals.count <= 4 else { return false }
            for index in (decimals.lowerBound + 1)..<decimals.upperBound {
                guard ASCII.isDigit(value[index]), value[first] == ASCII.zero || value[index] == ASCII.zero else { return false }
            }
        }
        if value[first] == 0x31 { return true }
        return decimals.dropFirst().contains { value[$0] != ASCII.zero }
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
        // A copy of exactly the compressed size: trimming would keep deflateBound's whole allocation
        // (about the input's size) alive for as long as the copy is cached, and the cache counts bytes.
        return Array(output[..<produced])
    }
}
