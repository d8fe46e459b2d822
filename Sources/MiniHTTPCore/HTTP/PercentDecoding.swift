/// Percent-decoding (RFC 3986 §2.1) of path segments and query components.
package enum PercentDecoding {
    /// Decodes `%XX` escapes into bytes; nil when an escape is malformed.
    package static func decode<Bytes: Collection<UInt8>>(_ input: Bytes, plusIsSpace: Bool = false) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = input.startIndex
        while index != input.endIndex {
            let byte = input[index]
            if byte == ASCII.percent {
                let high = input.index(after: index)
                guard high != input.endIndex else { return nil }
                let low = input.index(after: high)
                guard low != input.endIndex, let h = ASCII.hexValue(input[high]), let l = ASCII.hexValue(input[low])
                else { return nil }
                output.append(UInt8(h << 4 | l))
                index = input.index(after: low)
                continue
            }
            output.append(plusIsSpace && byte == ASCII.plus ? ASCII.space : byte)
            index = input.index(after: index)
        }
        return output
    }

    /// The decoded range as a string; nil when an escape is malformed.
    package static func decodedString(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        decode(bytes[range]).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A query component (`application/x-www-form-urlencoded`: `+` is a space); malformed escapes are kept as sent.
    package static func decodedForm(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        let decoded = decode(bytes[range], plusIsSpace: true) ?? Array(bytes[range])
        return String(decoding: decoded, as: UTF8.self)
    }
}
