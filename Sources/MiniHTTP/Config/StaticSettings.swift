import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// The `gzip` section of the configuration.
public struct GzipSettings: Sendable, Equatable {
    /// Whether responses are compressed at all.
    public var enabled = true
    /// zlib's level, 1 (fastest) to 9 (smallest).
    public var level = 6
    /// Smaller bodies are sent as they are: compression would not pay.
    public var minBytes = 1024
    /// Larger files are sent as they are (unless a precompressed `.gz` exists), so a worker never
    /// compresses a huge file in one go.
    public var maxBytes = 10 << 20
    /// Memory for compressed copies of static files, shared by the workers (0: only precompressed `.gz`).
    public var cacheBytes = 32 << 20

    public init() {}
}

/// The `fileCache` section: like nginx's `open_file_cache`, per worker.
public struct FileCacheSettings: Sendable, Equatable {
    /// Files (open descriptors and metadata) kept per worker.
    public var maxEntries = 1000
    /// Bytes of small files' contents kept in memory per worker.
    public var maxBytes = 64 << 20
    /// How long a cached file is trusted before it is checked again (a change is noticed within this).
    public var validitySeconds = 1

    public init() {}
}
