import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// Turns a request path into a path relative to the public folder, or says why it may not be served.
///
/// Decodes percent-escapes once, refuses NUL, backslashes and encoded slashes, resolves `.` and `..`
/// (a `..` above the root is refused), and hides dot-files except under `/.well-known/`. The result is
/// then opened with `openat2(RESOLVE_BENEATH)`, so the kernel also stops any symlink that leads out.
enum SafePath {
    enum Outcome: Equatable {
        /// The relative path (no leading `/`; `""` is the root itself), and whether the request named a
        /// directory (ended in `/`).
        case relative([UInt8], isDirectory: Bool)
        /// A malformed escape: 400.
        case malformed
        /// Not servable: 404.
        case refused
    }

    static func resolve<Bytes: Collection<UInt8>>(_ rawPath: Bytes) -> Outcome {
        guard rawPath.first == ASCII.slash else { return .refused }
        guard let decoded = PercentDecoding.decode(rawPath) else { return .malformed }
        // An escaped "/" (%2F) would decode into a separator the client did not send: refuse, as nginx does
        // for "merge_slashes"-style tricks; likewise NUL and backslash (a separator on other systems).
        guard !decoded.contains(0), !decoded.contains(ASCII.backslash) else { return .refused }
        if decodedSlashCount(decoded) != rawSlashCount(rawPath) { return .refused }
        return normalize(decoded)
    }

    /// A handler's file path (``Response/file(_:from:status:contentType:)``), relative to its root whether or
    /// not it begins with `/`: not percent-decoded (it names a file, not a URL), otherwise refused as a
    /// request path is — NUL, backslash, `..` above the root, dot-files.
    static func resolve(filePath: String) -> Outcome {
        var bytes = Array(filePath.utf8)
        guard !bytes.contains(0), !bytes.contains(ASCII.backslash) else { return .refused }
        if bytes.first != ASCII.slash { bytes.insert(ASCII.slash, at: 0) }
        return normalize(bytes)
    }

    /// Resolves `.` and `..` in a decoded path beginning with `/`, and hides dot-files.
    private static func normalize(_ decoded: [UInt8]) -> Outcome {
        var segments: [ArraySlice<UInt8>] = []
        for segment in decoded.split(separator: ASCII.slash, omittingEmptySubsequences: true) {
            if segment.elementsEqual([ASCII.dot]) { continue }
            if segment.elementsEqual([ASCII.dot, ASCII.dot]) {
                guard !segments.isEmpty else { return .refused }
                segments.removeLast()
                continue
            }
            segments.append(segment)
        }
        for (index, segment) in segments.enumerated() where segment.first == ASCII.dot {
            // Hidden files stay hidden; RFC 8615's /.well-known/ is the one public dot-folder.
            guard index == 0, segment.elementsEqual(".well-known".utf8) else { return .refused }
        }
        let isDirectory = decoded.last == ASCII.slash
        var relative: [UInt8] = []
        for (index, segment) in segments.enumerated() {
            if index > 0 { relative.append(ASCII.slash) }
            relative.append(contentsOf: segment)
        }
        return .relative(relative, isDirectory: isDirectory)
    }

    private static func decodedSlashCount(_ bytes: [UInt8]) -> Int { bytes.lazy.filter { $0 == ASCII.slash }.count }
    private static func rawSlashCount<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int {
        bytes.lazy.filter { $0 == ASCII.slash }.count
    }
}
