import MiniHTTPCore
/// The byte classes of cookie grammar.
enum CookieSyntax {
    /// RFC 9110 §5.6.2 tchar: `!#$%&'*+-.^_`|~`, digits and letters.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    /// A non-empty token: what a cookie's name must be (RFC 6265 §4.1.1 cookie-name).
    static func isToken(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    /// RFC 6265 §4.1.1 cookie-octet: visible ASCII except `"`, `,`, `;` and `\` (and no space).
    static func isCookieOctet(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E && byte != 0x22 && byte != 0x2C && byte != 0x3B && byte != 0x5C
    }

    /// RFC 6265 §4.1.1 cookie-value: cookie-octets, optionally wrapped in one pair of double quotes.
    static func isCookieValue(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if bytes.count >= 2, bytes.first == 0x22, bytes.last == 0x22 {
            bytes = bytes.dropFirst().dropLast()
        }
        return bytes.allSatisfy(isCookieOctet)
    }

    /// RFC 6265 §4.1.1 av-octet, for `Path`: any CHAR except control characters and `;`.
    static func isAttributeValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x3B }
    }

    /// A host name for `Domain`: letters, digits, `-` and `.` (RFC 1034 §3.5 labels), an optional leading dot.
    static func isDomain(_ text: String) -> Bool {
        let name = text.utf8.first == 0x2E ? text.utf8.dropFirst() : text.utf8[...]
        let isHostByte = { (byte: UInt8) in
            let letter = byte | 0x20
            return (byte >= 0x30 && byte <= 0x39) || (letter >= 0x61 && letter <= 0x7A) || byte == 0x2D || byte == 0x2E
        }
        return !name.isEmpty && name.first != 0x2E && name.last != 0x2D && name.allSatisfy(isHostByte)
    }
}
