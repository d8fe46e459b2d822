import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Range requests (RFC 9110 §14): `bytes=a-b`, `bytes=a-`, `bytes=-n`, and lists of them.
enum ByteRanges {
    enum Outcome: Equatable {
        /// No Range, or one that is malformed or not in bytes: serve the whole representation (200).
        case ignore
        /// Valid, but no range overlaps the representation: 416 with `Content-Range: bytes */size`.
        case unsatisfiable
        /// One range (after coalescing): 206 with exactly these bytes.
        case single(ClosedRange<Int>)
        /// Several disjoint ranges: we answer with the whole representation (200) rather than
        /// multipart/byteranges — RFC 9110 allows ignoring Range, and it can never cost more than the file.
        case several
    }

    /// More ranges than this in one request is not a client we need to serve range by range
    /// (the Apache "Range of death"): the header is ignored.
    static let maxRanges = 64

    static func evaluate<Bytes: Collection<UInt8>>(_ value: Bytes, size: Int) -> Outcome {
        value.withContiguousStorageIfAvailable { evaluate(UnsafeRawBufferPointer($0), size: size) }
            ?? evaluate(Array(value), size: size)
    }

    private static func evaluate(_ value: UnsafeRawBufferPointer, size: Int) -> Outcome {
        let prefixLength = 6  // "bytes="
        guard value.count > prefixLength,
              value.equalsIgnoringCase(0..<prefixLength, "bytes=")
        else { return .ignore }
        var ranges: [ClosedRange<Int>] = []
        var count = 0
        // RFC 9110 §14.1.1: on a zero-length representation a non-zero suffix-range is still satisfiable;
        // no 206 can carry zero bytes, so the whole (empty) representation is the answer (200), not a 416.
        var satisfiableButEmpty = false
        var index = value.startIndex + prefixLength
        let end = value.endIndex
        while index < end {
            let elementStart = index
            while index < end, value[index] != ASCII.comma { index += 1 }
            let element = value.trimmingWhitespace(elementStart..<index)
            index += 1  // past the comma
            guard !element.isEmpty else { continue }  // empty list elements are allowed
            count += 1
            guard count <= maxRanges else { return .ignore }
            guard let spec = parseSpec(value, element) else { return .ignore }
            if let range = resolve(spec, size: size) { ranges.append(range) }
            if size == 0, case .suffix(let length) = spec, length > 0 { satisfiableButEmpty = true }
        }
        guard count > 0 else { return .ignore }
        let merged = coalesce(ranges)
        switch merged.count {
        case 0: return satisfiableButEmpty ? .ignore : .unsatisfiable
        case 1: return .single(merged[0])
        default: return .several
        }
    }

    private enum Spec {
        case from(Int, through: Int?)
        case suffix(Int)
    }

    private static func parseSpec(_ value: UnsafeRawBufferPointer, _ range: Range<Int>) -> Spec? {
        guard let dash = (range.lowerBound..<range.upperBound).first(where: { value[$0] == 0x2D }) else { return nil }
        let first = number(value, range.lowerBound..<dash)
        let last = number(value, (dash + 1)..<range.upperBound)
        if dash == range.lowerBound {
            guard let last else { return nil }
            return .suffix(last)
        }
        guard let first else { return nil }
        if dash + 1 == range.upperBound { return .from(first, through: nil) }
        guard let last, last >= first else { return nil }
        return .from(first, through: last)
    }

    /// A position beyond any file: larger numbers are read as this, so that an end past the end is clamped
    /// (RFC 9110 §14.1.2) and a start past it is unsatisfiable, however many digits they have.
    static let beyondAnyFile = 1 << 62

    private static func number(_ value: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        var result = 0
        for index in range {
            guard ASCII.isDigit(value[index]) else { return nil }
            let digit = Int(value[index] - ASCII.zero)
            result = result >= beyondAnyFile / 10 ? beyondAnyFile : min(result * 10 + digit, beyondAnyFile)
        }
        return result
    }

    private static func resolve(_ spec: Spec, size: Int) -> ClosedRange<Int>? {
        switch spec {
        case .from(let first, let last):
            guard first < size else { return nil }
            return first...min(last ?? (size - 1), size - 1)
        case .suffix(let length):
            guard length > 0, size > 0 else { return nil }
            return max(size - length, 0)...(size - 1)
        }
    }

    /// Sorted, with overlapping and adjacent ranges merged: never more bytes than the file.
    static func coalesce(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var merged: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}
