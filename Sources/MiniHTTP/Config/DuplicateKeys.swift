import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Finds the first key that appears twice in one JSON object. `JSONDecoder` keeps one of them silently,
/// so a file saying `"port": 80` twice would run with whichever it kept: the configuration refuses it.
enum DuplicateKeys {
    /// The dotted path of the first repeated key (`gzip.level`), or nil. `bytes` must be valid JSON.
    static func first(in bytes: [UInt8]) -> String? {
        /// An open object (with the keys seen and its own path) or array.
        struct Frame {
            var isObject: Bool
            var path: String
            var keys: Set<String> = []
            var expectsKey: Bool
        }
        var stack: [Frame] = []
        var lastKey = ""
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let parent = stack.last.map { $0.isObject ? join($0.path, lastKey) : $0.path } ?? ""
                stack.append(Frame(isObject: byte == UInt8(ascii: "{"), path: parent, expectsKey: byte == UInt8(ascii: "{")))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
            case UInt8(ascii: ","):
                if let top = stack.indices.last, stack[top].isObject { stack[top].expectsKey = true }
            case ASCII.quote:
                let start = index + 1
                index = start
                var escaped = false
                while index < bytes.count, escaped || bytes[index] != ASCII.quote {
                    escaped = !escaped && bytes[index] == ASCII.backslash
                    index += 1
                }
                if let top = stack.indices.last, stack[top].isObject, stack[top].expectsKey {
                    let key = unescaped(bytes[start..<min(index, bytes.count)])
                    if !stack[top].keys.insert(key).inserted { return join(stack[top].path, key) }
                    stack[top].expectsKey = false
                    lastKey = key
                }
            default:
                break
            }
            index += 1
        }
        return nil
    }

    private static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    /// The key's text with JSON's escapes resolved (`\u0070ort` is `port`).
    private static func unescaped(_ raw: ArraySlice<UInt8>) -> String {
        guard raw.contains(ASCII.backslash) else { return String(decoding: raw, as: UTF8.self) }
        var result: [UInt8] = []
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            index += 1
            guard byte == ASCII.backslash, index < raw.endIndex else { result.append(byte); continue }
            let code = raw[index]
            index += 1
            switch code {
            case UInt8(ascii: "u"):
                let hex = raw[index..<min(index + 4, raw.endIndex)]
                index = min(index + 4, raw.endIndex)
                if let value = UInt32(String(decoding: hex, as: UTF8.self), radix: 16), let scalar = Unicode.Scalar(value) {
                    result.append(contentsOf: Array(String(Character(scalar)).utf8))
                }
            case UInt8(ascii: "n"): result.append(ASCII.lineFeed)
            case UInt8(ascii: "t"): result.append(ASCII.tab)
            case UInt8(ascii: "r"): result.append(ASCII.carriageReturn)
            case UInt8(ascii: "b"): result.append(0x08)
            case UInt8(ascii: "f"): result.append(0x0C)
            default: result.append(code)  // \" \\ \/
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
