import CSystem
import Glibc
import MiniHTTPCore

/// The public folder: opens paths beneath it, and nothing else.
///
/// A path without symlinks is opened in one `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)`. A path with
/// one is resolved here, component by component, as nginx follows links: a relative link is followed, an
/// absolute link is followed when its target lies in the folder (by its real path), and the result may not
/// name a dot-file or dot-folder (however reached). The resolved path is then opened the same way, so a link
/// swapped in meanwhile fails rather than leads out.
package final class PublicFolder: Sendable {
    package let descriptor: Int32
    /// `realpath` of the folder: where an absolute link's target must lie.
    private let realPath: [UInt8]

    /// At most this many links in one path, as the kernel's own limit (ELOOP beyond).
    package static let maxLinks = 40

    /// Opens the folder. Throws when it does not exist, is not a directory, or `openat2` cannot be used.
    package init(root: String) throws(SystemError) {
        let fd = Glibc.open(root, csystem_O_PATH | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("open(\(root))") }
        do throws(SystemError) {
            try Self.probe(fd, open: csystem_open_beneath_no_symlinks)
        } catch {
            Syscall.close(fd)
            throw error
        }
        descriptor = fd
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let resolved = realpath(root, &buffer) != nil ? buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) } : []
        realPath = resolved == [ASCII.slash] ? [] : resolved
    }

    deinit { Syscall.close(descriptor) }

    /// Opens the folder itself with `open` (openat2 in production): every file is opened with openat2
    /// (Linux 5.6 and later), so a failure here — ENOSYS on an old kernel, EPERM from a seccomp filter
    /// (a container runtime's, systemd's `SystemCallFilter=`) — would otherwise turn every request into a
    /// 403 or 404. It is a start-up error instead, naming the cause.
    package static func probe(_ fd: Int32, open: (Int32, UnsafePointer<CChar>?, UInt64) -> Int32) throws(SystemError) {
        let opened = open(fd, ".", UInt64(O_RDONLY | O_CLOEXEC))
        guard opened >= 0 else {
            let code = errno
            let reason = code == ENOSYS ? "Linux 5.6 or later is needed to serve static files"
                : code == EPERM ? "refused by a seccomp filter? static files cannot be served safely without it"
                : "static files cannot be served without it"
            throw SystemError("openat2 on the public folder (\(reason))", errno: code)
        }
        Syscall.close(opened)
    }

    /// Opens `relative` (no leading `/`, `""` is the folder) beneath the folder. The failure's status is
    /// nginx's: 404 for what is not there, 403 for what may not be read, 500 for anything else.
    package func open(_ relative: [UInt8]) -> Result<OpenFile, StatusError> {
        var fd = openWithoutLinks(relative)
        if fd < 0, errno == ELOOP {
            switch resolveLinks(relative) {
            case .success(let resolved): fd = openWithoutLinks(resolved)
            case .failure(let error): return .failure(error)
            }
        }
        guard fd >= 0 else { return .failure(StatusError(Self.status(forOpenError: errno))) }
        guard let file = OpenFile(descriptor: fd) else { return .failure(StatusError(.internalServerError)) }
        return .success(file)
    }

    /// The status for an `open` that failed with `code`.
    package static func status(forOpenError code: Int32) -> Status {
        switch code {
        case ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EXDEV: .notFound
        case EACCES, EPERM: .forbidden
        default: .internalServerError
        }
    }

    private func openWithoutLinks(_ relative: [UInt8]) -> Int32 {
        var path = relative.isEmpty ? [ASCII.dot] : relative
        path.append(0)
        return path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                csystem_open_beneath_no_symlinks(descriptor, $0.baseAddress, UInt64(O_RDONLY | O_CLOEXEC | O_NONBLOCK))
            }
        }
    }

    /// `relative` with every symlink replaced by its target: 404 when a link leads out of the folder, loops,
    /// or the result names a dot-file (except `/.well-known/`).
    package func resolveLinks(_ relative: [UInt8]) -> Result<[UInt8], StatusError> {
        var resolved: [ArraySlice<UInt8>] = []
        var pending = Array(relative.split(separator: ASCII.slash).reversed())  // a stack: next on top
        var links = 0
        while let component = pending.popLast() {
            if component.elementsEqual([ASCII.dot]) { continue }
            if component.elementsEqual([ASCII.dot, ASCII.dot]) {
                guard resolved.popLast() != nil else { return .failure(StatusError(.notFound)) }
                continue
            }
            let candidate = Self.join(resolved + [component])
            guard let target = readLink(candidate) else {
                if errno != EINVAL { return .failure(StatusError(Self.status(forOpenError: errno))) }
                resolved.append(component)  // not a link
                continue
            }
            links += 1
            guard links <= Self.maxLinks else { return .failure(StatusError(.notFound)) }
            var next = target[...]
            if target.first == ASCII.slash {
                guard target.starts(with: realPath),
                      target.count == realPath.count || target[realPath.count] == ASCII.slash
                else { return .failure(StatusError(.notFound)) }  // leads out of the folder
                next = target[realPath.count...]
                resolved.removeAll()
            }
            pending.append(contentsOf: next.split(separator: ASCII.slash).reversed())
        }
        for (index, component) in resolved.enumerated() where component.first == ASCII.dot {
            guard index == 0, component.elementsEqual(".well-known".utf8) else { return .failure(StatusError(.notFound)) }
        }
        return .success(Self.join(resolved))
    }

    /// The target of the link at `relative`, or nil with errno set (EINVAL: not a link).
    private func readLink(_ relative: [UInt8]) -> [UInt8]? {
        var path = relative.map { CChar(bitPattern: $0) }
        path.append(0)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        let count = readlinkat(descriptor, path, &buffer, buffer.count)
        guard count >= 0 else { return nil }
        guard count < buffer.count else {
            errno = ENAMETOOLONG
            return nil
        }
        return buffer[..<count].map { UInt8(bitPattern: $0) }
    }

    private static func join(_ components: [ArraySlice<UInt8>]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, component) in components.enumerated() {
            if index > 0 { out.append(ASCII.slash) }
            out.append(contentsOf: component)
        }
        return out
    }
}

/// A status carried as an error, for `Result`.
package struct StatusError: Error {
    package let status: Status
    package init(_ status: Status) { self.status = status }
}
