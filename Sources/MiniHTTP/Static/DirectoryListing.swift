import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// The optional HTML listing of a directory without an index file (`directoryListing: true`): names
/// HTML-escaped, links percent-encoded, dot-files left out, folders first.
enum DirectoryListing {
    /// The listing, or nil when the directory cannot be read (an empty listing would be a lie: 500).
    static func response(directory: OpenFile, urlPath: String) -> Response? {
        var names: [(name: String, isDirectory: Bool)] = []
        let fd = dup(directory.descriptor)
        guard fd >= 0 else { return nil }
        guard let stream = fdopendir(fd) else {
            _ = close(fd)
            return nil
        }
        defer { closedir(stream) }
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                guard errno == 0 else { return nil }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard !name.hasPrefix(".") else { continue }
            names.append((name, Int32(entry.pointee.d_type) == Int32(DT_DIR)))
        }
        names.sort { ($0.isDirectory ? 0 : 1, $0.name) < ($1.isDirectory ? 0 : 1, $1.name) }
        let title = escapeHTML(urlPath)
        var html = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of \(title)</title></head>\n"
        html += "<body><h1>Index of \(title)</h1>\n<ul>\n"
        if urlPath != "/" { html += "<li><a href=\"../\">../</a></li>\n" }
        for entry in names {
            let shown = entry.name + (entry.isDirectory ? "/" : "")
            html += "<li><a href=\"\(percentEncode(entry.name))\(entry.isDirectory ? "/" : "")\">\(escapeHTML(shown))</a></li>\n"
        }
        html += "</ul></body></html>\n"
        return .html(html)
    }

    static func escapeHTML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so a name is always one segment.
    static func percentEncode(_ name: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in name.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x5F, 0x7E: out.append(byte)
            default: out.append(contentsOf: [ASCII.percent, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
