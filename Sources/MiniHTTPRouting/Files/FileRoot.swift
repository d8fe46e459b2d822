import MiniHTTPCore
import MiniHTTPPosix

/// A folder, opened once at start-up, that handlers serve files from with
/// ``Response/file(_:from:status:contentType:)``: every file is opened beneath it with
/// `openat2(RESOLVE_BENEATH)`, exactly as the public folder's, so no `..` and no symlink leads out.
///
/// ```swift
/// let downloads = try FileRoot("/srv/downloads")
/// router.get("/downloads/:name") { request in
///     .file(request.parameters["name"] ?? "", from: downloads)
/// }
/// ```
public final class FileRoot: Sendable {
    /// The folder as it was given.
    public let directory: String
    package let folder: PublicFolder

    /// Opens `directory`.
    /// - Throws: ``SystemError`` when it does not exist, is not a directory, or `openat2` cannot be used
    ///   (Linux before 5.6, a seccomp filter).
    public init(_ directory: String) throws(SystemError) {
        self.directory = directory
        folder = try PublicFolder(root: directory)
    }
}

/// A file a handler answered with, not opened yet: the server serves it through its static-file pipeline
/// once it knows the request's conditional, range and `Accept-Encoding` fields.
package struct StaticFileReference: Sendable {
    /// The path beneath the root, as the handler gave it (a file path, not percent-encoded).
    package let path: String
    /// The folder; nil is the server's public folder.
    package let root: FileRoot?
}
