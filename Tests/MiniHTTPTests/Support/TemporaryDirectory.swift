import Glibc

/// A fresh directory under /tmp, removed when the test is done with it.
final class TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/minihttp-test-XXXXXX".utf8CString)
        path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    deinit {
        _ = system("rm -rf '\(path)'")
    }

    /// Writes `contents` to `relative` (creating folders), returns the full path.
    @discardableResult
    func write(_ relative: String, _ contents: String) -> String {
        let full = path + "/" + relative
        let folder = String(full[..<(full.lastIndex(of: "/") ?? full.endIndex)])
        _ = system("mkdir -p '\(folder)'")
        let file = fopen(full, "w")
        _ = contents.withCString { fputs($0, file) }
        fclose(file)
        return full
    }

    func symlink(_ relative: String, to target: String) {
        _ = Glibc.symlink(target, path + "/" + relative)
    }
}

extension TemporaryDirectory {
    func remove(_ relative: String) {
        _ = unlink(path + "/" + relative)
    }
}
