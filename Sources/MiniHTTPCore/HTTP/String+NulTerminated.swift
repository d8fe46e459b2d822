extension String {
    /// The text of a C character buffer up to its first NUL (or all of it): what `inet_ntop` and `fgets`
    /// leave behind. Invalid UTF-8 is repaired, not trusted.
    package init(nulTerminated characters: [CChar]) {
        let end = characters.firstIndex(of: 0) ?? characters.endIndex
        self = String(decoding: characters[..<end].lazy.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
