import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting
/// One worker's open-file cache (nginx's `open_file_cache`): files found by their request path, kept open
/// with their validators, small ones with their contents, re-checked after `validitySeconds`. Only its
/// worker uses it, so it needs no lock. Bounded by `maxEntries` and by `maxBytes` of contents; the least
/// recently used entry makes room.
final class FileCache {
    let settings: FileCacheSettings
    private var entries: [UInt64: FileEntry] = [:]
    private(set) var contentBytes = 0

    init(settings: FileCacheSettings) {
        self.settings = settings
    }

    var count: Int { entries.count }
    var validityMilliseconds: Int64 { Int64(settings.validitySeconds) * 1000 }

    /// FNV-1a over the request path: looked up without building a key.
    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    func entry<Bytes: Collection<UInt8>>(hash: UInt64, path: Bytes) -> FileEntry? {
        guard let entry = entries[hash], entry.key.elementsEqual(path) else { return nil }
        return entry
    }

    /// Whether a file of `size` bytes may have its contents kept (small, and within `maxBytes`).
    func canHoldContent(size: Int) -> Bool {
        size <= Self.maxContentBytes && contentBytes + size <= settings.maxBytes
    }

    /// Larger files are sent from their descriptor with `sendfile`, which hands the kernel's page-cache pages
    /// to the socket without copying them; smaller ones are copied behind the response head, so head and
    /// body leave in one write.
    static let maxContentBytes = 16 * 1024

    func insert(_ entry: FileEntry, hash: UInt64) {
        guard settings.maxEntries > 0 else { return }
        if let old = entries[hash] { forget(old) }
        while entries.count >= settings.maxEntries, let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            forget(oldest.value)
            entries[oldest.key] = nil
        }
        entries[hash] = entry
        contentBytes += entry.content?.count ?? 0
    }

    func remove(hash: UInt64) {
        if let old = entries.removeValue(forKey: hash) { forget(old) }
    }

    private func forget(_ entry: FileEntry) {
        contentBytes -= entry.content?.count ?? 0
    }
}

/// The workers' open-file caches, one each: a cache is used only by the worker whose number indexes it.
final class FileCaches: @unchecked Sendable {
    // Unchecked: the array is fixed at init; element `i` is touched only by worker `i`'s thread (requests
    // carry their worker's number), so no two threads ever share a cache.
    private let caches: [FileCache]

    init(workers: Int, settings: FileCacheSettings = FileCacheSettings()) {
        caches = (0..<max(0, workers)).map { _ in FileCache(settings: settings) }
    }

    /// Worker `index`'s cache; nil for a number without one (no caching).
    subscript(index: Int) -> FileCache? {
        caches.indices.contains(index) ? caches[index] : nil
    }
}
