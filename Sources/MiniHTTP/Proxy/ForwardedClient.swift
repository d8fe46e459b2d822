/// Finds the real client of a request that came through trusted proxies, from `Forwarded` (RFC 7239) or,
/// when there is none, `X-Forwarded-For`.
///
/// Each proxy appends the address it received the request from, so the list is read from the right: the
/// rightmost address that is not itself a trusted proxy is the client (addresses to its left were written
/// by the client or by proxies we do not trust, and prove nothing). If every address is a trusted proxy,
/// the leftmost is taken. An entry that is not an address (`unknown`, an obfuscated name, garbage) ends
/// the walk: the last address before it stands, or — if it is the rightmost — the connection's own.
enum ForwardedClient {
    /// The client address the fields name, or nil to keep the connection's peer address.
    static func resolve(_ window: UnsafeRawBufferPointer, fields: [HeaderField], trusted: AddressRanges) -> IPAddress? {
        var sawForwarded = false
        var result: IPAddress?
        var stopped = false
        // Field lines from the last (the nearest proxy's) to the first.
        for field in fields.reversed() where !stopped && window.equalsIgnoringCase(field.name, "forwarded") {
            sawForwarded = true
            forEachElementFromRight(window, field.value) { element in
                guard let address = forwardedFor(window, element) else { stopped = true; return false }
                result = address
                if !trusted.contains(address) { stopped = true; return false }
                return true
            }
        }
        if sawForwarded { return result }
        for field in fields.reversed() where !stopped && window.equalsIgnoringCase(field.name, "x-forwarded-for") {
            forEachElementFromRight(window, field.value) { element in
                guard let address = IPAddress(text: UnsafeRawBufferPointer(rebasing: window[element]))
                else { stopped = true; return false }
                result = address
                if !trusted.contains(address) { stopped = true; return false }
                return true
            }
        }
        return result
    }

    /// Calls `body` with each comma-separated element of `range`, trimmed, from the last to the first,
    /// while it returns true.
    static func forEachElementFromRight(
        _ window: UnsafeRawBufferPointer, _ range: Range<Int>, _ body: (Range<Int>) -> Bool
    ) {
        var end = range.upperBound
        while end >= range.lowerBound {
            var start = end
            while start > range.lowerBound, window[start - 1] != ASCII.comma { start -= 1 }
            let element = trimmed(window, start..<end)
            if !element.isEmpty, !body(element) { return }
            end = start - 1
        }
    }

    /// The address in a `Forwarded` element's `for=` parameter: `for=192.0.2.1`, `for="192.0.2.1:80"`,
    /// `for="[2001:db8::1]:4711"`. Nil when there is none or it is not an address.
    static func forwardedFor(_ window: UnsafeRawBufferPointer, _ element: Range<Int>) -> IPAddress? {
        var start = element.lowerBound
        while start < element.upperBound {
            var end = start
            while end < element.upperBound, window[end] != ASCII.semicolon { end += 1 }
            let pair = trimmed(window, start..<end)
            if pair.count > 4, window.equalsIgnoringCase(pair.lowerBound..<(pair.lowerBound + 4), "for=") {
                return address(window, (pair.lowerBound + 4)..<pair.upperBound)
            }
            start = end + 1
        }
        return nil
    }

    /// A node: an address, optionally quoted, IPv6 in brackets, optionally with a port.
    private static func address(_ window: UnsafeRawBufferPointer, _ node: Range<Int>) -> IPAddress? {
        var value = node
        if value.count >= 2, window[value.lowerBound] == ASCII.quote, window[value.upperBound - 1] == ASCII.quote {
            value = (value.lowerBound + 1)..<(value.upperBound - 1)
        }
        guard !value.isEmpty else { return nil }
        if window[value.lowerBound] == ASCII.leftBracket {
            var close = value.lowerBound
            while close < value.upperBound, window[close] != ASCII.rightBracket { close += 1 }
            guard close < value.upperBound else { return nil }
            return IPAddress(text: UnsafeRawBufferPointer(rebasing: window[(value.lowerBound + 1)..<close]))
        }
        // IPv4, with or without ":port".
        var end = value.lowerBound
        while end < value.upperBound, window[end] != ASCII.colon { end += 1 }
        return IPAddress(text: UnsafeRawBufferPointer(rebasing: window[value.lowerBound..<end]))
    }

    private static func trimmed(_ window: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, window[lower] == ASCII.space || window[lower] == ASCII.tab { lower += 1 }
        while upper > lower, window[upper - 1] == ASCII.space || window[upper - 1] == ASCII.tab { upper -= 1 }
        return lower..<upper
    }
}
