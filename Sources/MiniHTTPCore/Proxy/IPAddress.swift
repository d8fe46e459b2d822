import Glibc

/// An IPv4 or IPv6 address as 128 bits; IPv4 addresses are kept IPv4-mapped (`::ffff:a.b.c.d`), so one
/// comparison serves both families and a dual-stack socket's clients match IPv4 ranges.
package struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address's first and last 64 bits, in network order read as big-endian integers.
    package var high: UInt64
    package var low: UInt64

    package static let mappedPrefix: UInt64 = 0x0000_FFFF_0000_0000

    /// `::`, the unspecified address, which no client can send from (RFC 4291 §2.5.2): it stands for a
    /// client that cannot be identified (a Unix-socket peer; `for=unknown` from a proxy). It is in no
    /// ``AddressRanges`` and is logged as `-`.
    package static let unknown = IPAddress(high: 0, low: 0)

    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    package init(ipv4 bytes: (UInt8, UInt8, UInt8, UInt8)) {
        high = 0
        low = Self.mappedPrefix | UInt64(bytes.0) << 24 | UInt64(bytes.1) << 16 | UInt64(bytes.2) << 8 | UInt64(bytes.3)
    }

    /// Reads 4 (IPv4) or 16 (IPv6) bytes in network order.
    package init?(networkBytes raw: UnsafeRawBufferPointer) {
        switch raw.count {
        case 4:
            self.init(ipv4: (raw[0], raw[1], raw[2], raw[3]))
        case 16:
            var high: UInt64 = 0
            var low: UInt64 = 0
            for index in 0..<8 { high = high << 8 | UInt64(raw[index]) }
            for index in 8..<16 { low = low << 8 | UInt64(raw[index]) }
            self.init(high: high, low: low)
        default:
            return nil
        }
    }

    /// Parses `192.0.2.1` or `2001:db8::1` (no brackets, no port, no zone) from bytes, without allocating.
    package init?(text raw: UnsafeRawBufferPointer) {
        guard !raw.isEmpty, raw.count < 46 else { return nil }
        let isIPv6 = raw.contains(ASCII.colon)
        let parsed: IPAddress? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { text in
            guard let base = text.baseAddress else { return nil }
            for index in 0..<raw.count { base[index] = CChar(bitPattern: raw[index]) }
            base[raw.count] = 0
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { binary in
                guard let out = binary.baseAddress,
                      inet_pton(isIPv6 ? AF_INET6 : AF_INET, base, out) == 1 else { return nil }
                return IPAddress(networkBytes: UnsafeRawBufferPointer(start: out, count: isIPv6 ? 16 : 4))
            }
        }
        guard let parsed else { return nil }
        self = parsed
    }

    package init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ IPAddress(text: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = parsed
    }

    package var isIPv4: Bool { high == 0 && low >> 32 == Self.mappedPrefix >> 32 }

    /// `127.0.0.1` for IPv4 (mapped or not), `::1` and the like for IPv6.
    package var description: String {
        if isIPv4 {
            let value = UInt32(truncatingIfNeeded: low)
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        }
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
            bytes[index + 8] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(AF_INET6, bytes, &text, socklen_t(text.count)) != nil else { return "-" }
        return String(nulTerminated: text)
    }
}

/// A set of addresses given as addresses or CIDR ranges (`10.0.0.0/8`, `::1`, `fd00::/8`), for
/// `trustedProxies` and `statusAllow`.
package struct AddressRanges: Sendable, Equatable {
    package struct Range: Sendable, Equatable {
        package var network: IPAddress
        /// Leading bits that must match, out of 128 (an IPv4 `/24` is 96 + 24).
        package var bits: Int
        /// Written in IPv6 notation with a prefix shorter than the IPv4-mapped block's /96 (`::/0`,
        /// `fd00::/8`): it holds IPv6 clients only, as in nginx, where IPv4 clients match IPv4 rules only.
        package var ipv6Only: Bool

        package init?(_ text: String) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
            let width = address.isIPv4 && !parts[0].contains(":") ? 32 : 128
            var bits = width
            if parts.count == 2 {
                guard let prefix = Int(parts[1]), (0...width).contains(prefix), parts[1].allSatisfy(\.isASCII)
                else { return nil }
                bits = prefix
            }
            // `::ffff:10.0.0.0/8` means ::/8, every IPv4 client: an IPv4-mapped network needs /96 or more.
            if width == 128, address.isIPv4, bits < 96 { return nil }
            self.bits = bits + (128 - width)
            ipv6Only = width == 128 && bits < 96
            network = Self.masked(address, bits: self.bits)
        }

        package static func masked(_ address: IPAddress, bits: Int) -> IPAddress {
            let highMask: UInt64 = bits >= 64 ? .max : (bits == 0 ? 0 : ~(UInt64.max >> bits))
            let lowMask: UInt64 = bits <= 64 ? 0 : (bits == 128 ? .max : ~(UInt64.max >> (bits - 64)))
            return IPAddress(high: address.high & highMask, low: address.low & lowMask)
        }

        package func contains(_ address: IPAddress) -> Bool {
            if ipv6Only, address.isIPv4 { return false }
            return Self.masked(address, bits: bits) == network
        }
    }

    package var ranges: [Range] = []

    package init() {}

    /// Parses each entry; returns the first that is neither an address nor a CIDR range.
    package init(_ entries: [String]) throws(InvalidEntry) {
        for entry in entries {
            guard let range = Range(entry) else { throw InvalidEntry(text: entry) }
            ranges.append(range)
        }
    }

    package struct InvalidEntry: Error {
        package var text: String

        /// Why the entry is refused, for the configuration error.
        package var message: String {
            let parts = text.split(separator: "/")
            if parts.count == 2, parts[0].contains(":"), let address = IPAddress(String(parts[0])), address.isIPv4 {
                return "'\(text)' is an IPv4-mapped range shorter than /96, which would hold every IPv4 client: write it as an IPv4 range"
            }
            return "'\(text)' is not an IP address or CIDR range"
        }
    }

    package var isEmpty: Bool { ranges.isEmpty }

    /// Whether `address` is in a range; never for ``IPAddress/unknown``.
    package func contains(_ address: IPAddress) -> Bool {
        if address == .unknown { return false }
        for range in ranges where range.contains(address) { return true }
        return false
    }
}
