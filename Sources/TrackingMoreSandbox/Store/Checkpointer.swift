import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the WAL back into the database file on a thread of its own.
///
/// By default SQLite checkpoints in the connection that commits: once the WAL passes 1,000
/// pages, that commit also copies them into the file and syncs both files. In tms serve that
/// connection is the writer, the one thing requests queue for: 10,000 creates made it wait
/// for 34 fsyncs, about a third of its time. Here the writer's connection only reports each
/// commit's WAL size (`sqlite3_wal_hook`, which replaces the automatic checkpoint), and every
/// 1,000 new pages a PASSIVE checkpoint runs on this queue's own connection. A passive
/// checkpoint never waits for, nor blocks, the writer or a reader; it copies what no reader
/// still needs.
///
/// SQLite starts the WAL over only when a write begins after a checkpoint copied all of it,
/// which a checkpoint running beside steady writes never quite does. So when the WAL reaches
/// 10,000 pages (40 MB) the writer checkpoints once itself, as SQLite would, and the WAL
/// starts over; a pause in the writes does the same at no cost. What is left when the store
/// closes is copied by SQLite as the last connection closes.
final class Checkpointer: Sendable {
    /// New WAL pages between checkpoints: SQLite's own threshold (`SQLITE_DEFAULT_WAL_AUTOCHECKPOINT`).
    static let defaultPages: Int32 = 1000

    /// New WAL pages between checkpoints.
    let pages: Int32
    /// The WAL's size at which the writer checkpoints itself so that the WAL starts over.
    var restartPages: Int32 { 10 * pages }

    private let path: String
    private let configuration: Configuration
    private let queue = DispatchQueue(label: "tms.sandbox.checkpoint")
    /// Opened on the queue at the first checkpoint: a store that never writes much (`tms keys`)
    /// never opens it.
    private let connection = Mutex<DatabaseQueue?>(nil)
    /// A checkpoint is scheduled or running: commits meanwhile do not schedule another.
    private let scheduled = Atomic<Bool>(false)
    /// The WAL's size when the last checkpoint was scheduled (written only by the writer).
    private let scheduledAt = Atomic<Int32>(0)
    private let completed = Atomic<Int>(0)

    init(path: String, configuration: Configuration, pages: Int32 = Checkpointer.defaultPages) {
        self.path = path
        self.configuration = configuration
        self.pages = pages
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
    }

    /// Waits for a scheduled checkpoint to end.
    func drain() { queue.sync {} }

    private func committed(walPages: Int32) {
        // A WAL smaller than at the last checkpoint has started over.
        let last = scheduledAt.load(ordering: .relaxed)
        let since = walPages >= last ? walPages - last : walPages
        guard since >= pages,
            scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        scheduledAt.store(walPages, ordering: .relaxed)
        queue.async { [self] in
            defer { scheduled.store(false, ordering: .releasing) }
            // A failed checkpoint loses nothing (the pages stay in the WAL, which reads see):
            // the next commit past the threshold tries again.
            let done: Void? = try? connection.withLock { connection in
                if connection == nil { connection = try DatabaseQueue(path: path, configuration: configuration) }
                try connection!.writeWithoutTransaction { _ = try $0.checkpoint(.passive) }
            }
            if done != nil { completed.add(1, ordering: .releasing) }
        }
    }
}
