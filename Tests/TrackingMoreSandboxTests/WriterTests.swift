import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif
import TrackingMore
@testable import TrackingMoreSandbox

/// Write transactions wait for each other (SQLite has one writer) on a thread of their own, so
/// requests waiting to write never hold Swift's cooperative threads (one per core): reads and
/// the rest of every request go on meanwhile.
@Suite struct WriterTests {
    /// A SQLite store whose every write transaction takes `seconds` longer, as a large batch does.
    struct SlowWrites: SandboxStore {
        let inner: SQLiteStore
        let seconds: Double

        func write<T>(_ body: (any SandboxTransaction) throws -> T) throws -> T {
            try inner.write { t in
                usleep(UInt32(seconds * 1_000_000))
                return try body(t)
            }
        }
        func read<T>(_ body: (any SandboxTransaction) throws -> T) throws -> T { try inner.read(body) }
        func addKey(name: String, hash: String, at time: Int, quota: Int?) throws -> Bool {
            try inner.addKey(name: name, hash: hash, at: time, quota: quota)
        }
        func keys() throws -> [StoredKey] { try inner.keys() }
        func revokeKey(name: String) throws -> Bool { try inner.revokeKey(name: name) }
        func setQuota(keyName: String, to quota: Int) throws -> Bool { try inner.setQuota(keyName: keyName, to: quota) }
        func quota(keyName: String) throws -> Int? { try inner.quota(keyName: keyName) }
        func keyHash(name: String) throws -> String? { try inner.keyHash(name: name) }
        func forgetLessons(_ key: String) throws { try inner.forgetLessons(key) }
    }

    final class Count: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test func aReadIsAnsweredWhileWritesWaitForEachOther() async throws {
        let path = "/tmp/tms-writer-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let sandbox = Sandbox(store: SlowWrites(inner: try SQLiteStore(path: path), seconds: 1))
        let created: JSON = ["carrier_code": "sto", "tracking_number": "402934299065"]
        let create = APIRequest(method: "POST", path: "/trackings/post", body: created.bytes)
        #expect(await sandbox.handle(create, apiKey: nil).meta.code == 200)
        // More writers than the cooperative pool has threads: with each waiting on one, a read
        // would wait for the first write to end.
        let writers = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) + 1
        let (started, finished) = (Count(), Count())
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<writers {
                group.addTask {
                    let body: JSON = ["carrier_code": "sto", "tracking_number": .string("40293429\(9100 + i)")]
                    started.value.add(1, ordering: .relaxed)
                    _ = await sandbox.handle(APIRequest(method: "POST", path: "/trackings/post", body: body.bytes), apiKey: nil)
                    finished.value.add(1, ordering: .relaxed)
                }
            }
            // Every writer has begun; the first holds the writer for 1 s (room for a loaded
            // machine), the others wait.
            while started.value.load(ordering: .relaxed) < writers { await Task.yield() }
            try? await Task.sleep(for: .milliseconds(100))
            let got = await sandbox.handle(APIRequest(method: "GET", path: "/trackings/sto/402934299065"), apiKey: nil)
            #expect(got.data["tracking_number"] == "402934299065")
            #expect(finished.value.load(ordering: .relaxed) == 0, "the read waited for a write to end")
        }
        #expect(finished.value.load(ordering: .relaxed) == writers)
    }
}
