import CZlib
@testable import MiniHTTP
@testable import MiniHTTPCore
@testable import MiniHTTPPosix
@testable import MiniHTTPRouting
import Testing

@Suite("zlib")
struct ZlibRoundTripTests {
    @Test("gzip data deflated through CZlib inflates back to the same bytes")
    func roundTrip() throws {
        let input = Array(String(repeating: "minihttp serves static files and code routes. ", count: 200).utf8)
        var stream = z_stream()
        #expect(czlib_deflateInit2(&stream, 6, 15 + 16, 8) == Z_OK)  // 15 + 16: gzip wrapper
        var compressed = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        var mutableInput = input
        let produced = mutableInput.withUnsafeMutableBufferPointer { source in
            compressed.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                let status = deflate(&stream, Z_FINISH)
                return status == Z_STREAM_END ? Int(stream.total_out) : -1
            }
        }
        deflateEnd(&stream)
        #expect(produced > 0 && produced < input.count / 10)
        #expect(compressed[0] == 0x1F && compressed[1] == 0x8B)  // the gzip magic number

        var inflater = z_stream()
        #expect(czlib_inflateInit2(&inflater, 15 + 16) == Z_OK)
        var output = [UInt8](repeating: 0, count: input.count + 16)
        let restored = compressed.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                inflater.next_in = source.baseAddress
                inflater.avail_in = uInt(produced)
                inflater.next_out = target.baseAddress
                inflater.avail_out = uInt(target.count)
                return inflate(&inflater, Z_FINISH) == Z_STREAM_END ? Int(inflater.total_out) : -1
            }
        }
        inflateEnd(&inflater)
        #expect(Array(output[..<max(restored, 0)]) == input)
    }
}

@Suite("gzip output size")
struct GzipOutputSizeTests {
    @Test("a compressed copy holds its own size, not the bound zlib asked for (the cache counts bytes)")
    func compressedCopyIsRightSized() throws {
        let input = [UInt8](repeating: 0x61, count: 1 << 20)
        let compressed = try #require(Gzip.compress(input, level: 6))
        #expect(compressed.count < 4096)
        #expect(compressed.capacity < 8192)  // before: about 1 MiB, deflateBound's allocation
    }
}
