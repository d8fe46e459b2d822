/// The PROXY protocol header a load balancer sends before the client's bytes (HAProxy's `send-proxy`,
/// version 1, text; `send-proxy-v2`, version 2, binary): it names the client the proxy accepted.
package enum ProxyProtocol {
    package enum Result: Equatable {
        /// Not enough bytes yet.
        case incomplete
        /// Not a valid PROXY header: the connection is refused.
        case invalid
        /// A header of `length` bytes; `source` is the client (nil for `UNKNOWN` and `LOCAL`: keep the peer).
        case header(length: Int, source: IPAddress?)
    }

    /// Version 1's longest line, CRLF included.
    package static let maxVersion1Length = 107
    package static let version2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    package static let version1Prefix: [UInt8] = Array("PROXY ".utf8)

    package static func parse(_ bytes: UnsafeRawBufferPointer) -> Result {
        let signatureSeen = min(bytes.count, version2Signature.count)
        if signatureSeen > 0, bytes[0] == version2Signature[0] {
            for index in 0..<signatureSeen where bytes[index] != version2Signature[index] { return .invalid }
            return parseVersion2(bytes)
        }
        let prefixSeen = min(bytes.count, version1Prefix.count)
        for index in 0..<prefixSeen where bytes[index] != version1Prefix[index] { return .invalid }
        return parseVersion1(bytes)
    }

    /// `PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n`, `PROXY TCP6 …`, or `PROXY UNKNOWN…\r\n`.
    private static func parseVersion1(_ bytes: UnsafeRawBufferPointer) -> Result {
        var lineEnd = 0
        while lineEnd < bytes.count, bytes[lineEnd] != ASCII.lineFeed {
            lineEnd += 1
            if lineEnd >= maxVersion1Length { return .invalid }
        }
        guard lineEnd < bytes.count else { return .incomplete }
        guard lineEnd >= 1, bytes[lineEnd - 1] == ASCII.carriageReturn else { return .invalid }
        let line = UnsafeRawBufferPointer(rebasing: bytes[version1Prefix.count..<(lineEnd - 1)])
        var words: [Range<Int>] = []
        var start = 0
        for index in 0...line.count where index == line.count || line[index] == ASCII.space {
            words.append(start..<index)
            start = index + 1
        }
        let length = lineEnd + 1
        guard let protocolWord = words.first else { return .invalid }
        if line.equalsIgnoringCase(protocolWord, "unknown") { return .header(length: length, source: nil) }
        let isTCP4 = line.elementsEqual(protocolWord, "TCP4")
        guard isTCP4 || line.elementsEqual(protocolWord, "TCP6"), words.count == 5 else { return .invalid }
        // The family is the text's: TCP6 with `::ffff:10.9.9.9` is what HAProxy sends when the client's
        // family differs from the server side's, and names an IPv4 client.
        guard line[words[1]].contains(ASCII.colon) != isTCP4, line[words[2]].contains(ASCII.colon) != isTCP4,
              let source = IPAddress(text: UnsafeRawBufferPointer(rebasing: line[words[1]])),
              IPAddress(text: UnsafeRawBufferPointer(rebasing: line[words[2]])) != nil,
              isPort(line, words[3]), isPort(line, words[4])
        else { return .invalid }
        return .header(length: length, source: source)
    }

    private static func isPort(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        guard (1...5).contains(range.count) else { return false }
        var value = 0
        for index in range {
            guard ASCII.isDigit(line[index]) else { return false }
            value = value * 10 + Int(line[index] - ASCII.zero)
        }
        return value <= 65535
    }

    /// The 16-byte binary header, then the addresses (and TLVs, skipped).
    private static func parseVersion2(_ bytes: UnsafeRawBufferPointer) -> Result {
        guard bytes.count >= 16 else { return .incomplete }
        let versionAndCommand = bytes[12]
        let family = bytes[13]
        let addressLength = Int(bytes[14]) << 8 | Int(bytes[15])
        guard versionAndCommand >> 4 == 2 else { return .invalid }
        let length = 16 + addressLength
        guard bytes.count >= length else { return .incomplete }
        switch versionAndCommand & 0x0F {
        case 0:  // LOCAL: the proxy's own connection (a health check); keep the peer's address.
            return .header(length: length, source: nil)
        case 1:  // PROXY
            let addresses = UnsafeRawBufferPointer(rebasing: bytes[16..<length])
            switch family {
            case 0x11, 0x12:  // TCP or UDP over IPv4
                guard addresses.count >= 12 else { return .invalid }
                return .header(length: length, source: IPAddress(networkBytes: UnsafeRawBufferPointer(rebasing: addresses[0..<4])))
            case 0x21, 0x22:  // over IPv6
                guard addresses.count >= 36 else { return .invalid }
                return .header(length: length, source: IPAddress(networkBytes: UnsafeRawBufferPointer(rebasing: addresses[0..<16])))
            case 0x00:  // UNSPEC
                return .header(length: length, source: nil)
            default:  // Unix sockets and the like carry no IP client.
                return .header(length: length, source: nil)
            }
        default:
            return .invalid
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Whether `self[range]` is exactly `text` (case matters).
    package func elementsEqual(_ range: Range<Int>, _ text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        for offset in 0..<range.count where self[range.lowerBound + offset] != text.utf8Start[offset] { return false }
        return true
    }
}
