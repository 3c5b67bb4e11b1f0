import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the WAL back into the database file on a thread of its own, when the writes pause.
///
/// By default SQLite checkpoints in the connection that commits: once the WAL passes 1,000
/// pages, that commit also copies them into the file and syncs both files. In tms serve that
/// connection is the writer, the one thing requests queue for: 10,000 creates made it wait
/// for 34 fsyncs, about a third of its time. Here the writer's connection only reports each
/// commit's WAL size (`sqlite3_wal_hook`, which replaces the automatic checkpoint), and a
/// PASSIVE checkpoint runs on this queue's own connection. A passive checkpoint never waits
/// for, nor blocks, the writer or a reader; it copies what no reader still needs.
///
/// A checkpoint is due once the WAL has 1,000 new pages, and it waits for the writes to pause
/// (no commit for 20 ms): a checkpoint that runs beside a burst of writes takes the cores the
/// burst's requests need, and cannot copy all of the WAL, while one that runs in the pause
/// after it copies all of it, so that the next write starts the WAL over. Writes that never
/// pause get a checkpoint beside them every 10,000 new pages all the same, and when the WAL
/// reaches 20,000 pages (80 MB) the writer checkpoints once itself, as SQLite would, so that
/// the WAL starts over. What is left when the store closes is copied by SQLite as the last
/// connection closes.
final class Checkpointer: Sendable {
    /// New WAL pages that make a checkpoint due: SQLite's own threshold (`SQLITE_DEFAULT_WAL_AUTOCHECKPOINT`).
    static let defaultPages: Int32 = 1000
    /// How long the writes must pause before a due checkpoint runs.
    static let defaultPause: DispatchTimeInterval = .milliseconds(20)

    /// New WAL pages that make a checkpoint due.
    let pages: Int32
    /// How long the writes must pause before a due checkpoint runs.
    let pause: DispatchTimeInterval
    /// New WAL pages at which a due checkpoint runs without a pause.
    var burstPages: Int32 { 10 * pages }
    /// The WAL's size at which the writer checkpoints itself so that the WAL starts over.
    var restartPages: Int32 { 20 * pages }

    private let path: String
    private let configuration: Configuration
    private let queue = DispatchQueue(label: "tms.sandbox.checkpoint")
    /// Opened on the queue at the first checkpoint: a store that never writes much (`tms keys`)
    /// never opens it.
    private let connection = Mutex<DatabaseQueue?>(nil)
    /// A checkpoint is scheduled or running: commits meanwhile do not schedule another.
    private let scheduled = Atomic<Bool>(false)
    /// The WAL's size when the last checkpoint was scheduled or, after a pause, ran.
    private let scheduledAt = Atomic<Int32>(0)
    /// A due checkpoint is waiting for the writes to pause.
    private let waiting = Atomic<Bool>(false)
    /// The commits so far: a pause is a wait after which this has not moved.
    private let commits = Atomic<Int>(0)
    /// The store has closed: a checkpoint still waiting does not run.
    private let stopped = Atomic<Bool>(false)
    private let completed = Atomic<Int>(0)

    init(path: String, configuration: Configuration, pages: Int32 = Checkpointer.defaultPages, pause: DispatchTimeInterval = Checkpointer.defaultPause) {
        self.path = path
        self.configuration = configuration
        self.pages = pages
        self.pause = pause
    }

    /// The checkpoints that ran so far.
    var count: Int { completed.load(ordering: .acquiring) }

    /// Makes the writer's connection report its commits here. `stop` must be called on the same
    /// connection before this object goes: SQLite keeps only an unretained pointer to it.
    func start(on db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, { context, connection, name, pages in
            let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context!).takeUnretainedValue()
            if pages >= checkpointer.restartPages {
                // In the writer, between two of its transactions, once the queue's checkpoint
                // (if one runs) has ended: this copies the rest, so the next write starts the
                // WAL over. Rare (each 40 MB of writes), so the writer may wait for it.
                checkpointer.drain()
                sqlite3_wal_checkpoint(connection, name)
            } else {
                checkpointer.committed(walPages: pages)
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    func stop(on db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, nil, nil)
        stopped.store(true, ordering: .releasing)
    }

    /// Waits for a scheduled checkpoint to end (not for one waiting for a pause).
    func drain() { queue.sync {} }

    private func committed(walPages: Int32) {
        commits.add(1, ordering: .relaxed)
        // A WAL smaller than at the last checkpoint has started over.
        let last = scheduledAt.load(ordering: .relaxed)
        let since = walPages >= last ? walPages - last : walPages
        if since >= burstPages {
            schedule(walPages: walPages)
        } else if since >= pages, waiting.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
            awaitPause(after: commits.load(ordering: .relaxed))
        }
    }

    /// Schedules the due checkpoint once no commit has come for `pause`.
    private func awaitPause(after commitCount: Int) {
        queue.asyncAfter(deadline: .now() + pause) { [self] in
            guard !stopped.load(ordering: .acquiring) else { return }
            let now = commits.load(ordering: .relaxed)
            if now != commitCount { return awaitPause(after: now) }
            waiting.store(false, ordering: .releasing)
            schedule(walPages: nil)
        }
    }

    /// Runs a passive checkpoint on the queue, unless one is scheduled or running.
    /// `walPages`: the WAL's size now, from the writer; after a pause, the checkpoint's own
    /// count of the WAL's pages is kept instead.
    private func schedule(walPages: Int32?) {
        guard !stopped.load(ordering: .acquiring),
            scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        if let walPages { scheduledAt.store(walPages, ordering: .relaxed) }
        queue.async { [self] in
            defer { scheduled.store(false, ordering: .releasing) }
            guard !stopped.load(ordering: .acquiring) else { return }
            // A failed checkpoint loses nothing (the pages stay in the WAL, which reads see):
            // the next commit past the threshold tries again.
            let done: Void? = try? connection.withLock { connection in
                if connection == nil { connection = try DatabaseQueue(path: path, configuration: configuration) }
                let wal = try connection!.writeWithoutTransaction { try $0.checkpoint(.passive) }
                if walPages == nil { scheduledAt.store(Int32(clamping: wal.walFrameCount), ordering: .relaxed) }
            }
            if done != nil { completed.add(1, ordering: .releasing) }
        }
    }
}
