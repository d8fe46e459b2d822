import MiniHTTPCore

extension Response {
    /// Appends header fields encoded once, at start-up (`Name: value\r\n`…). When the response has no
    /// encoded fields yet, the block is shared rather than copied: no allocation.
    package mutating func appendEncodedFields(_ block: [UInt8]) {
        if fieldBlock.isEmpty { fieldBlock = block } else { fieldBlock += block }
    }

    /// `fields` encoded as they are written on the wire.
    package static func encodedFields(_ fields: [HTTPField]) -> [UInt8] {
        fields.flatMap { Array("\($0.name): \($0.value)\r\n".utf8) }
    }
}
