import Glibc
import MiniHTTPCore
import MiniHTTPPosix
import MiniHTTPRouting

/// The gzip copies of static files, shared by all workers and keyed by the file's identity — never by the
/// request path, so `/a.txt`, `/./a.txt`, `//a.txt` and `/%61.txt` are compressed once, not once each.
///
/// Files up to `inlineMaxBytes` are compressed by the worker that asks (32 KiB of English text is about
/// 5 M instructions in zlib at level 6 or 9: about 1 ms); larger ones by one background thread, one file at
/// a time, from a queue of at most `maxQueued` files; until theirs is ready, requests are answered
/// uncompressed. Every copy kept counts against `budgetBytes` (the least recently used make room), so memory
/// is bounded however many files or spellings a client asks for.
final class GzipStore: Sendable {
    /// What the store holds for a file.
    enum Lookup: Equatable {
        case ready([UInt8])
        /// Queued or being compressed in the background: answer uncompressed for now.
        case pending
        /// zlib failed, or the copy would not fit the budget: answer uncompressed.
        case refused
        /// Never asked for (or evicted).
        case absent
    }

    static let inlineMaxBytes = 32 * 1024
    static let maxQueued = 8
    /// What a refused entry is charged, so that refusals too are bounded by the budget.
    static let refusedCost = 64

    private struct Job: Sendable {
        let identity: FileIdentity
        let file: OpenFile
    }

    private struct Item {
        var compressed: [UInt8]?
        var isPending: Bool
        var lastUsed: UInt64
        var cost: Int { isPending ? 0 : compressed?.count ?? GzipStore.refusedCost }
    }

    private struct State {
        var items: [FileIdentity: Item] = [:]
        var bytes = 0
        var tick: UInt64 = 0
        var queue: [Job] = []
        var started = false
        var thread: PosixThread?
        var stopped = false
        /// Compressions done, inline and in the background (observed by tests).
        var compressions = 0
    }

    let budgetBytes: Int
    let level: Int
    private let state = Locked(State())
    private let wakeUp: EventFD?

    init(budgetBytes: Int, level: Int) {
        self.budgetBytes = budgetBytes
        self.level = level
        wakeUp = try? EventFD()
    }

    /// The number of compressions so far (attempts: a file that could not be read counts too).
    var compressions: Int { state.withLock { $0.compressions } }

    /// What is stored for `identity`; marks it recently used. Takes the lock once, allocates nothing.
    func lookup(_ identity: FileIdentity) -> Lookup {
        state.withLock { state in
            guard var item = state.items[identity] else { return .absent }
            if item.isPending { return .pending }
            state.tick &+= 1
            item.lastUsed = state.tick
            // updateValue, not `items[identity]?.lastUsed =`: that subscript's modify coroutine allocates.
            state.items.updateValue(item, forKey: identity)
            return item.compressed.map(Lookup.ready) ?? .refused
        }
    }

    /// The gzip copy of `file`, compressed now if it is small and nobody has yet; for a larger file, queues
    /// it (once) and answers `.pending`. `.refused` when it cannot be had.
    func variant(of file: OpenFile, identity: FileIdentity, content: [UInt8]?) -> Lookup {
        guard budgetBytes > 0 else { return .refused }  // nowhere to keep it: compress nothing on the fly
        let found = lookup(identity)
        guard found == .absent else { return found }
        guard file.size <= Self.inlineMaxBytes else { return enqueue(Job(identity: identity, file: file)) }
        // Claimed first, so that two workers asking at once compress it once.
        guard claim(identity) else { return lookup(identity) }
        var source = content ?? []
        if content == nil, !file.read(offset: 0, count: file.size, appendingTo: &source) {
            return store(nil, for: identity, wasPending: false)
        }
        return store(Gzip.compress(source, level: level), for: identity, wasPending: false)
    }

    private func claim(_ identity: FileIdentity) -> Bool {
        state.withLock { state in
            guard state.items[identity] == nil else { return false }
            state.items[identity] = Item(compressed: nil, isPending: true, lastUsed: state.tick)
            return true
        }
    }

    private func enqueue(_ job: Job) -> Lookup {
        guard let wakeUp else { return .refused }
        let (accepted, startThread) = state.withLock { state -> (Bool, Bool) in
            guard !state.stopped, state.items[job.identity] == nil, state.queue.count < Self.maxQueued else {
                return (false, false)
            }
            state.items[job.identity] = Item(compressed: nil, isPending: true, lastUsed: state.tick)
            state.queue.append(job)
            defer { state.started = true }
            return (true, !state.started)
        }
        guard accepted else { return lookup(job.identity) == .pending ? .pending : .refused }
        if startThread {
            // The thread holds the store, never the server: `stop()` ends and joins it.
            let thread = try? PosixThread(name: "minihttp-gzip") { [self] in runCompressions() }
            state.withLock { state in
                state.thread = thread
                guard thread == nil else { return }
                state.started = false  // no thread: nothing may stay pending for ever; try again next time
                for queued in state.queue { state.items[queued.identity] = nil }
                state.queue.removeAll()
            }
            if thread == nil { return .refused }
        }
        wakeUp.signal()
        return .pending
    }

    /// Ends the background thread after the file it is compressing, if any (waits for it: at most one
    /// compression of up to `gzip.maxBytes`); queued files are dropped.
    func stop() {
        let thread = state.withLock { state in
            state.stopped = true
            state.queue.removeAll()
            defer { state.thread = nil }
            return state.thread
        }
        wakeUp?.signal()
        thread?.join()
    }

    private func runCompressions() {
        guard let wakeUp else { return }
        while true {
            let next = state.withLock { state -> (job: Job?, stopped: Bool) in
                (state.queue.isEmpty ? nil : state.queue.removeFirst(), state.stopped)
            }
            if next.stopped { return }
            guard let job = next.job else {
                var event = pollfd(fd: wakeUp.descriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&event, 1, -1)
                wakeUp.drain()
                continue
            }
            var source: [UInt8] = []
            let compressed = job.file.read(offset: 0, count: job.file.size, appendingTo: &source)
                && Self.isUnchanged(job.file, job.identity) ? Gzip.compress(source, level: level) : nil
            _ = store(compressed, for: job.identity, wasPending: true)
        }
    }

    /// Whether the open file still has `identity` (written in place while it was read: its ctime moved).
    private static func isUnchanged(_ file: OpenFile, _ identity: FileIdentity) -> Bool {
        OpenFile(descriptor: dup(file.descriptor)).map { FileIdentity($0) == identity } ?? false
    }

    private static func leastRecentlyUsed(_ items: [FileIdentity: Item]) -> FileIdentity? {
        var oldest: (key: FileIdentity, lastUsed: UInt64)?
        for (key, item) in items where !item.isPending && item.lastUsed < (oldest?.lastUsed ?? .max) {
            oldest = (key, item.lastUsed)
        }
        return oldest?.key
    }

    /// Keeps `compressed` (nil: refused) for `identity` if it fits the budget after evicting the least
    /// recently used copies; otherwise remembers the refusal.
    private func store(_ compressed: [UInt8]?, for identity: FileIdentity, wasPending: Bool) -> Lookup {
        state.withLock { state in
            state.compressions += 1
            if let old = state.items.removeValue(forKey: identity) { state.bytes -= old.cost }
            if wasPending, state.stopped { return .refused }
            state.tick &+= 1
            var item = Item(compressed: compressed, isPending: false, lastUsed: state.tick)
            if item.cost > budgetBytes { item.compressed = nil }
            guard item.cost <= budgetBytes else { return .refused }
            while state.bytes + item.cost > budgetBytes, let oldest = Self.leastRecentlyUsed(state.items) {
                state.bytes -= state.items.removeValue(forKey: oldest)?.cost ?? 0
            }
            guard state.bytes + item.cost <= budgetBytes else { return .refused }
            state.items[identity] = item
            state.bytes += item.cost
            return item.compressed.map(Lookup.ready) ?? .refused
        }
    }
}
