import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import TrackingMoreSandbox

/// The WAL is copied into the database file beside the writer, and still starts over.
@Suite struct CheckpointerTests {
    static func size(_ path: String) -> Int {
        var s = stat()
        return stat(path, &s) == 0 ? Int(s.st_size) : 0
    }

    /// Commits `count` transactions of about three pages each.
    static func fill(_ store: SQLiteStore, _ count: Int) throws {
        for _ in 0..<count {
            try store.db.write { db in
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS filler (x BLOB)")
                try db.execute(sql: "INSERT INTO filler VALUES (randomblob(8000))")
            }
        }
    }

    @Test func checkpointsRunBesideTheWriterAndTheWALStartsOver() throws {
        let path = "/tmp/tms-checkpoint-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        // A checkpoint every 20 new pages; the writer's own past 200.
        var store: SQLiteStore? = try SQLiteStore(path: path, checkpointPages: 20)
        let checkpointer = try #require(store?.checkpointer)
        let fileBefore = Self.size(path)

        try Self.fill(store!, 30)  // about 90 pages
        checkpointer.drain()
        #expect(checkpointer.count >= 1, "no checkpoint ran on the checkpointer's queue")
        #expect(Self.size(path) > fileBefore + 20 * 4096, "the WAL's pages did not reach the database file")

        // Far past 200 pages: without the writer's own checkpoint the WAL would hold them all.
        try Self.fill(store!, 400)  // about 1,200 pages
        checkpointer.drain()
        let frame = 4096 + 24
        #expect(Self.size(path + "-wal") < 260 * frame, "the WAL never started over: \(Self.size(path + "-wal") / frame) pages")

        // Everything written is there after closing and opening again.
        store = nil
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.db.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM filler") } == 430)
    }
}
