import Dispatch
import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import TrackingMoreSandbox

/// The WAL is copied into the database file beside the writer, once the writes pause, and
/// still starts over when they never do.
@Suite struct CheckpointerTests {
    static func size(_ path: String) -> Int {
        var s = stat()
        return stat(path, &s) == 0 ? Int(s.st_size) : 0
    }

    static func path() -> String { "/tmp/tms-checkpoint-\(UInt32.random(in: 0...UInt32.max)).sqlite" }
    static func remove(_ path: String) { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }

    /// Commits `count` transactions of about three pages each.
    static func fill(_ store: SQLiteStore, _ count: Int) throws {
        for _ in 0..<count {
            try store.db.write { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS filler (x BLOB)")
                try db.execute(sql: "INSERT INTO filler VALUES (randomblob(8000))")
            }
        }
    }

    /// Waits up to five seconds for `condition`.
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<500 where !condition() { usleep(10_000) }
        return condition()
    }

    /// The pages of the WAL (SQLite's own count, which a passive checkpoint reports).
    static func walPages(_ store: SQLiteStore) throws -> Int {
        try store.db.writeWithoutTransaction { try $0.checkpoint(.passive).walFrameCount }
    }

    @Test func aDueCheckpointWaitsForThePauseAndTheWALStartsOver() throws {
        let path = Self.path()
        defer { Self.remove(path) }
        // Due after 20 pages; a second without commits is a pause.
        var store: SQLiteStore? = try SQLiteStore(path: path, checkpointPages: 20, checkpointPause: .seconds(1))
        let checkpointer = try #require(store?.checkpointer)
        let fileBefore = Self.size(path)

        try Self.fill(store!, 30)  // about 90 pages, well under the 200 that do not wait
        checkpointer.drain()
        #expect(checkpointer.count == 0, "a checkpoint ran while the writes went on")

        #expect(Self.eventually { checkpointer.count == 1 }, "no checkpoint after the writes paused")
        #expect(Self.size(path) > fileBefore + 20 * 4096, "the WAL's pages did not reach the database file")
        // It copied all of the WAL, so the next write starts it over.
        try Self.fill(store!, 1)
        #expect(try Self.walPages(store!) < 20)

        store = nil
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM filler") } == 31)
    }

    @Test func writesThatNeverPauseAreCheckpointedBesideThemAndTheWALStartsOver() throws {
        let path = Self.path()
        defer { Self.remove(path) }
        // Due after 20 pages, which a pause of a minute never lets run: beside the writes every
        // 200 pages; the writer's own at 400.
        var store: SQLiteStore? = try SQLiteStore(path: path, checkpointPages: 20, checkpointPause: .seconds(60))
        let checkpointer = try #require(store?.checkpointer)

        try Self.fill(store!, 90)  // about 270 pages
        checkpointer.drain()
        #expect(checkpointer.count >= 1, "no checkpoint ran beside the writes")

        // Far past 400 pages: without the writer's own checkpoint the WAL would hold them all.
        try Self.fill(store!, 400)  // about 1,200 pages
        checkpointer.drain()
        let frame = 4096 + 24
        #expect(Self.size(path + "-wal") < 460 * frame, "the WAL never started over: \(Self.size(path + "-wal") / frame) pages")

        // Everything written is there after closing and opening again.
        store = nil
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM filler") } == 490)
    }
}
