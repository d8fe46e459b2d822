/// Finds the real client of a request that came through trusted proxies, from the one header the
/// configuration names (`forwardedHeader`: `X-Forwarded-For` or RFC 7239 `Forwarded`).
///
/// Each proxy appends the address it received the request from, so the list is read from the right: the
/// rightmost address that is not itself a trusted proxy is the client (addresses to its left were written
/// by the client or by proxies we do not trust, and prove nothing). If every address is a trusted proxy,
/// the leftmost is taken. The walk fails closed: a node that is not an address (`unknown`, an obfuscated
/// `_name`, a `Forwarded` element without `for=`, garbage, `::`) makes the client *unknown* — never the
/// proxy's own address, which an allow-list may admit for health checks.
package enum ForwardedClient {
    package enum Resolution: Equatable {
        /// The header is absent (or empty): the connection's peer is the client.
        case peer
        /// The client the header names.
        case client(IPAddress)
        /// The header names a client that cannot be identified.
        case unknown
    }

    package static func resolve(
        _ window: UnsafeRawBufferPointer, fields: [HeaderField], header: ForwardedHeader, trusted: AddressRanges
    ) -> Resolution {
        var leftmost: IPAddress?
        var unknown = false
        var found = false
        // Field lines from the last (the nearest proxy's) to the first.
        for field in fields.reversed() where !found && !unknown && isNamed(window, field.name, header) {
            forEachElementFromRight(window, field.value) { element in
                let node = header == .forwarded
                    ? forwardedFor(window, element) : address(window, element, bareIPv6: true)
                guard let node, node != .unknown else { unknown = true; return false }
                leftmost = node
                if !trusted.contains(node) { found = true; return false }
                return true
            }
        }
        if unknown { return .unknown }
        return leftmost.map { .client($0) } ?? .peer
    }

    private static func isNamed(_ window: UnsafeRawBufferPointer, _ name: Range<Int>, _ header: ForwardedHeader) -> Bool {
        switch header {
        case .xForwardedFor: window.equalsIgnoringCase(name, "x-forwarded-for")
        case .forwarded: window.equalsIgnoringCase(name, "forwarded")
        case .none: false
        }
    }

    /// Calls `body` with each comma-separated element of `range`, trimmed, from the last to the first,
    /// while it returns true.
    package static func forEachElementFromRight(
        _ window: UnsafeRawBufferPointer, _ range: Range<Int>, _ body: (Range<Int>) -> Bool
    ) {
        var end = range.upperBound
        while end >= range.lowerBound {
            var start = end
            while start > range.lowerBound, window[start - 1] != ASCII.comma { start -= 1 }
            let element = ASCII.trimmingWhitespace(window, start..<end)
            if !element.isEmpty, !body(element) { return }
            end = start - 1
        }
    }

    /// The address in a `Forwarded` element's `for=` parameter: `for=192.0.2.1`, `for="192.0.2.1:80"`,
    /// `for="[2001:db8::1]:4711"`. Nil when there is none or it is not an address.
    package static func forwardedFor(_ window: UnsafeRawBufferPointer, _ element: Range<Int>) -> IPAddress? {
        var start = element.lowerBound
        while start < element.upperBound {
            var end = start
            while end < element.upperBound, window[end] != ASCII.semicolon { end += 1 }
            let pair = ASCII.trimmingWhitespace(window, start..<end)
            if pair.count > 4, window.equalsIgnoringCase(pair.lowerBound..<(pair.lowerBound + 4), "for=") {
                // RFC 7239 §6: IPv6 is always in brackets (and quoted) there.
                return address(window, (pair.lowerBound + 4)..<pair.upperBound, bareIPv6: false)
            }
            start = end + 1
        }
        return nil
    }

    /// A node: an address, optionally quoted, IPv6 in brackets, optionally with a port (`192.0.2.1:80`,
    /// `[2001:db8::1]:80`; a `Forwarded` obfuscated port `_x` too). `bareIPv6` admits `2001:db8::1`
    /// without brackets (as `X-Forwarded-For` writes it).
    package static func address(_ window: UnsafeRawBufferPointer, _ node: Range<Int>, bareIPv6: Bool) -> IPAddress? {
        var value = node
        if value.count >= 2, window[value.lowerBound] == ASCII.quote, window[value.upperBound - 1] == ASCII.quote {
            value = (value.lowerBound + 1)..<(value.upperBound - 1)
        }
        guard !value.isEmpty else { return nil }
        if window[value.lowerBound] == ASCII.leftBracket {
            var close = value.lowerBound
            while close < value.upperBound, window[close] != ASCII.rightBracket { close += 1 }
            guard close < value.upperBound, isPortSuffix(window, (close + 1)..<value.upperBound) else { return nil }
            let inside = (value.lowerBound + 1)..<close
            guard window[inside].contains(ASCII.colon) else { return nil }  // brackets hold IPv6 only
            return IPAddress(text: UnsafeRawBufferPointer(rebasing: window[inside]))
        }
        var colons = 0
        var firstColon = value.upperBound
        for index in value where window[index] == ASCII.colon {
            if colons == 0 { firstColon = index }
            colons += 1
        }
        if colons >= 2 {
            return bareIPv6 ? IPAddress(text: UnsafeRawBufferPointer(rebasing: window[value])) : nil
        }
        // IPv4, with or without ":port".
        guard isPortSuffix(window, firstColon..<value.upperBound) else { return nil }
        return IPAddress(text: UnsafeRawBufferPointer(rebasing: window[value.lowerBound..<firstColon]))
    }

    /// Empty, or `:` and a port: 1 to 5 digits, or an obfuscated `_token` (RFC 7239 §6.3).
    private static func isPortSuffix(_ window: UnsafeRawBufferPointer, _ suffix: Range<Int>) -> Bool {
        guard !suffix.isEmpty else { return true }
        guard window[suffix.lowerBound] == ASCII.colon else { return false }
        let port = (suffix.lowerBound + 1)..<suffix.upperBound
        guard !port.isEmpty else { return false }
        if window[port.lowerBound] == 0x5F { return port.count > 1 }  // "_"
        guard port.count <= 5 else { return false }
        var value = 0
        for index in port {
            guard ASCII.isDigit(window[index]) else { return false }
            value = value * 10 + Int(window[index] - ASCII.zero)
        }
        return value <= 65535
    }
}
