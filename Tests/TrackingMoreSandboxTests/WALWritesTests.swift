import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import TrackingMoreSandbox

/// The WAL's frames are written a commit at a time (CSQLiteConfig's wal_writes.c): what is
/// committed is in the file for every other connection, whatever the size of the commit, and
/// the database stays whole through checkpoints and the WAL starting over.
@Suite(.serialized) struct WALWritesTests {
    static func path() -> String { "/tmp/tms-walwrites-\(UInt32.random(in: 0...UInt32.max)).sqlite" }
    static func remove(_ path: String) { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }

    /// Commits of 1 row to 2,000 rows of 2 KB (past the unix VFS's 128 KB a write and past the
    /// 1 MB held at most), each read back whole by another connection at once.
    @Test(arguments: [1, 40, 70, 600, 2_000])
    func eachCommitIsReadWholeByAnotherConnection(_ rows: Int) throws {
        let path = Self.path()
        defer { Self.remove(path) }
        let store = try SQLiteStore(path: path, checkpointPages: 50)
        let other = try DatabaseQueue(path: path)
        try store.db.write { try $0.execute(sql: "CREATE TABLE t (n INTEGER, x BLOB)") }
        for round in 0..<5 {
            try store.db.write { db in
                for i in 0..<rows { try db.execute(sql: "INSERT INTO t VALUES (?, randomblob(2000))", arguments: [round * rows + i]) }
            }
            let (count, sum) = try other.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM t")!, try Int.fetchOne(db, sql: "SELECT total(n) FROM t")!)
            }
            let n = (round + 1) * rows
            #expect(count == n && sum == n * (n - 1) / 2)
        }
        #expect(try other.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    /// Many small commits with checkpoints beside them (the writes never pause: one every 200
    /// pages, and the writer's own at 400) and a reader beside them: the WAL starts over many
    /// times, and every row is there, in a whole database, after reopening.
    @Test func manyCommitsThroughCheckpointsLoseNothing() async throws {
        let path = Self.path()
        defer { Self.remove(path) }
        var store: SQLiteStore? = try SQLiteStore(path: path, checkpointPages: 20)
        try await store!.db.write { try $0.execute(sql: "CREATE TABLE t (n INTEGER PRIMARY KEY, x BLOB)") }
        let reader = try DatabaseQueue(path: path)
        let writes = Task.detached { [store] in
            for i in 0..<1_500 {
                try await store!.db.write { try $0.execute(sql: "INSERT INTO t VALUES (?, randomblob(3000))", arguments: [i]) }
            }
        }
        var last = 0
        while true {
            let count = try await reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM t")! }
            #expect(count >= last, "a reader saw fewer rows than before")
            last = count
            if count == 1_500 { break }
            try await Task.sleep(for: .milliseconds(1))
        }
        try await writes.value
        store = nil
        let reopened = try DatabaseQueue(path: path)
        #expect(try await reopened.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        #expect(try await reopened.read { try Int.fetchOne($0, sql: "SELECT total(n) FROM t") } == 1_500 * 1_499 / 2)
    }
}
