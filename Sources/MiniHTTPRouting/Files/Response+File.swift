import MiniHTTPCore
import MiniHTTPPosix

extension Response {
    /// The file at `path` beneath `root` — the server's public folder when nil — served as the public
    /// folder's files are: `ETag` and `Last-Modified`, 304 and 412 for conditional requests, byte ranges,
    /// gzip (a precompressed `name.gz`, or a cached copy), `sendfile`, the open-file cache.
    ///
    /// `path` is a file path beneath the root (`"/index.html"` and `"index.html"` are the same file; it is
    /// not percent-decoded). A `..` above the root, a dot-file, or a symlink that leads out of it is 404,
    /// as is a file that does not exist.
    ///
    /// With `status` 200 the request's conditional and range fields apply; any other status sends the whole
    /// file with that status (no 304, no 206), e.g. a page for 404. `contentType` replaces the type the
    /// file's extension gives (nil or empty: that type stands); the response's `headers` are sent beside the
    /// file's.
    ///
    /// - Note: earlier versions opened `path` anywhere, unconfined, and sent it raw. Serve another folder with a
    ///   ``FileRoot`` opened at start-up.
    public static func file(
        _ path: String, from root: FileRoot? = nil, status: Status = .ok, contentType: String? = nil
    ) -> Response {
        Response(status: status, contentType: contentType, body: Body(.staticFile(StaticFileReference(path: path, root: root))))
    }
}
