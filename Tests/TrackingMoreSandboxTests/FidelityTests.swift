import GRDB
import Synchronization
import Testing
import TrackingMore
@testable import TrackingMoreSandbox

#if canImport(Glibc)
import Glibc
#endif

/// Where the sandbox must answer as the real v2 API does (issue 10): the PUT answer, carrier
/// codes and numbers in any case, billing and quotas, rate limits, one transaction per request.
@Suite(.serialized) struct FidelityTests {
    let sandbox: Sandbox

    init() throws {
        sandbox = try Sandbox(path: ":memory:")
    }

    func send(_ method: String, _ path: String, _ body: JSON? = nil, query: [(String, String)] = [], key: String? = nil, to s: Sandbox? = nil) async -> Envelope {
        let answer = await (s ?? sandbox).handle(
            APIRequest(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, body: body.map(\.bytes)), apiKey: key)
        // The sandbox's database calls block their thread: let the other tests of the run in.
        await Task.yield()
        return answer
    }

    func create(_ carrier: String, _ number: String, key: String? = nil, to s: Sandbox? = nil) async -> Envelope {
        await send("POST", "/trackings/post", ["carrier_code": .string(carrier), "tracking_number": .string(number)], key: key, to: s)
    }

    // MARK: PUT

    /// The body of the API document's own PUT example, and the fields of its answer in order.
    static let documentBody: JSON = [
        "title": "new title", "logistics_channel": "4PX挂号小包", "customer_name": "sandy", "customer_email": "example@abc.com",
        "order_id": "986574521568", "destination_code": "CN", "archived": "true", "status": 7,
    ]
    static let documentAnswerFields = [
        "id", "tracking_number", "carrier_code", "created_at", "updated_at", "customer_email", "customer_name", "order_id",
        "title", "destination_code", "customer_phone", "archived", "status", "logistics_channel",
    ]

    @Test func putAnswersAsTheDocumentShows() async throws {
        _ = await create("yanwen", "RX478151548DE")
        let answer = await send("PUT", "/trackings/yanwen/RX478151548DE", Self.documentBody)
        #expect(answer.meta == Meta(.success))
        let data = try #require(answer.data.recordValue)
        #expect(data.keys == Self.documentAnswerFields)
        for name in ["title", "logistics_channel", "customer_name", "customer_email", "order_id", "destination_code"] {
            #expect(data[name] == Self.documentBody[name], "\(name)")
        }
        #expect(data["archived"] == "true")
        #expect(data["status"] == "7")
        #expect(data["customer_phone"] == .null)
        #expect(data["tracking_number"] == "RX478151548DE")
        // GET still answers the full tracking, with the status word.
        let read = await send("GET", "/trackings/yanwen/RX478151548DE")
        #expect(read.data["status"] == "exception")
        #expect(read.data["archived"] == true)
        #expect(read.data["origin_info"] != nil)
    }

    @Test func putWithoutStatusAnswersTheChangeInForce() async {
        _ = await create("sto", "402934299065")
        let plain = await send("PUT", "/trackings/sto/402934299065", ["title": "Shoes"])
        #expect(plain.data["status"] == .null)
        #expect(plain.data["archived"] == "false")
        _ = await send("PUT", "/trackings/sto/402934299065", ["status": "4"])
        let after = await send("PUT", "/trackings/sto/402934299065", ["title": "Boots"])
        #expect(after.data["status"] == "4")
        #expect(await send("PUT", "/trackings/sto/402934299065", ["status": 8]).data["status"] == "8")
        #expect(await send("PUT", "/trackings/sto/402934299065", ["order_id": "A-1"]).data["status"] == .null)
    }

    /// The official PHP class sends null for every field it was not asked to change.
    @Test func putNullLeavesAFieldAsItIs() async {
        _ = await create("sto", "402934299065")
        _ = await send("PUT", "/trackings/sto/402934299065", ["title": "Shoes", "customer_name": "Ann"])
        let php = await send("PUT", "/trackings/sto/402934299065", [
            "title": .null, "logistics_channel": .null, "customer_name": "Bob", "customer_email": .null, "customer_phone": .null,
            "order_id": .null, "destination_code": .null, "status": .null,
        ])
        #expect(php.meta.code == 200)
        #expect(php.data["title"] == "Shoes")
        #expect(php.data["customer_name"] == "Bob")
        #expect(await send("PUT", "/trackings/sto/402934299065", ["title": ""]).data["title"] == "")
    }

    // MARK: Case

    @Test func carrierCodesAndNumbersAreCaseInsensitive() async {
        let first = await create("China-Post", "rr123456785cn")
        #expect(first.meta.code == 200)
        #expect(first.data["carrier_code"] == "china-post")
        #expect(first.data["tracking_number"] == "RR123456785CN")
        #expect(await create("china-post", "RR123456785CN").meta.code == 4016)
        #expect(await create("CHINA-POST", "Rr123456785Cn").meta.code == 4016)
        #expect(await send("GET", "/trackings/china-post/RR123456785CN").meta.code == 200)
        #expect(await send("GET", "/trackings/China-Post/rr123456785cn").meta.code == 200)
        #expect(await send("GET", "/trackings/get", query: [("numbers", "rr123456785cn")]).data["total"] == "1")
        #expect(await send("GET", "/trackings/get").data["total"] == "1")
        let moved = await send("POST", "/trackings/update", ["carrier_code": "CHINA-post", "tracking_number": "rr123456785CN", "update_carrier_code": "China-EMS"])
        #expect(moved.meta.code == 200)
        #expect(await send("GET", "/trackings/china-ems/RR123456785CN").meta.code == 200)
        #expect(await send("DELETE", "/trackings/CHINA-EMS/rr123456785cn").meta.code == 200)
    }

    /// A database from before v2 holds codes and numbers as typed, duplicates included: the
    /// migration keeps the first created, lower-cases codes, upper-cases numbers, and gives
    /// back the quota the duplicates used.
    @Test func migrationNormalizesOldDatabases() async throws {
        let path = "/tmp/tms-fidelity-migration-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        try Self.makeVersion1Database(path)
        let migrated = try Sandbox(path: path)
        let page = await send("GET", "/trackings/get", to: migrated)
        #expect(page.data["total"] == "2")
        let kept = await send("GET", "/trackings/china-post/RR123456785CN", to: migrated)
        #expect(kept.data["id"] == .string(String(repeating: "a", count: 32)))
        #expect(await send("GET", "/trackings/ups/1Z999AA10123456784", to: migrated).meta.code == 200)
        #expect(await send("GET", "/trackings/getuserinfo", to: migrated).data["track_number"] == 998)
    }

    /// v3 builds the tracking table again under each account's number, with the number before
    /// the carrier in its key: rows keep their rowids (list pages break ties of time by them)
    /// and their accounts, and a number is found through the key with or without its carrier.
    /// v4 drops the index of ids: a tracking is changed through the key.
    @Test func version3KeepsRowsAndFindsNumbersByTheKey() throws {
        let path = "/tmp/tms-fidelity-v3-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        try Self.makeVersion1Database(path)
        let before = try DatabaseQueue(path: path)
        // A tracking of a key with no account row (not made so, but an old file may hold one).
        try before.write { db in
            try db.execute(sql: """
                INSERT INTO tracking (key, id, carrier_code, tracking_number, created_at, updated_at, status, archived, tracked, fields)
                VALUES ('other', 'dddd', 'dhl', '1234567890', 0, 0, 'pending', 0, 1, '{}')
                """)
        }
        let rows = try before.read { try Row.fetchAll($0, sql: "SELECT rowid, id FROM tracking ORDER BY rowid") }
        try before.close()
        let store = try SQLiteStore(path: path)
        try store.db.read { db in
            // The v2 migration dropped the duplicate (rowid 2); the others keep theirs.
            let after = try Row.fetchAll(db, sql: "SELECT rowid, id FROM tracking ORDER BY rowid")
            #expect(after == rows.filter { $0["rowid"] != 2 })
            for (sql, index) in [
                ("SELECT * FROM tracking WHERE account = ? AND tracking_number IN (?, ?)", "sqlite_autoindex_tracking_1 (account=? AND tracking_number=?"),
                ("SELECT * FROM tracking WHERE account = ? AND carrier_code = ? AND tracking_number = ?", "sqlite_autoindex_tracking_1 (account=? AND tracking_number=?"),
                // What changes a tracking finds it by the key (v4 dropped the index of ids).
                ("UPDATE tracking SET status = ? WHERE account = ? AND tracking_number = ? AND carrier_code = ?", "sqlite_autoindex_tracking_1 (account=? AND tracking_number=? AND carrier_code=?)"),
                ("UPDATE OR IGNORE tracking SET carrier_code = ? WHERE account = ? AND tracking_number = ? AND carrier_code = ?", "sqlite_autoindex_tracking_1 (account=? AND tracking_number=? AND carrier_code=?)"),
                // The order indexes leave out trackings without an order id or time; the filters still use them.
                ("SELECT COUNT(*) FROM tracking WHERE account = ? AND order_id IN (?, ?)", "tracking_order (account=? AND order_id=?)"),
                ("SELECT COUNT(*) FROM tracking WHERE account = ? AND order_created_at >= ? AND order_created_at <= ?", "tracking_order_time (account=? AND order_created_at>? AND order_created_at<?)"),
            ] {
                let parameters = StatementArguments(Array(repeating: DatabaseValue.null, count: sql.filter { $0 == "?" }.count))
                let plan = try String.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: parameters, adapter: ColumnMapping(["detail": "detail"]))
                #expect(plan.contains { $0.contains(index) }, "\(sql): \(plan)")
            }
            #expect(try String.fetchOne(db, sql: "SELECT name FROM sqlite_master WHERE name = 'tracking_number'") == nil)
            #expect(try String.fetchOne(db, sql: "SELECT name FROM sqlite_master WHERE name = 'tracking_id'") == nil)
            let owners = try Row.fetchAll(db, sql: "SELECT t.id, a.key, a.quota FROM tracking t JOIN account a ON a.id = t.account ORDER BY t.rowid")
            #expect(owners.map { $0["key"] as String } == ["local", "local", "other"])
            #expect(owners.last?["quota"] == Choices.initialQuota)
        }
    }

    /// A database as v1 left it: codes and numbers as typed, one tracking twice.
    static func makeVersion1Database(_ path: String) throws {
        let old = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(old, upTo: "v1")
        try old.write { db in
            try db.execute(sql: "INSERT INTO account (key, clock, quota, registered_at) VALUES ('local', ?, 997, ?)", arguments: [Choices.epoch, Choices.epoch])
            for (id, carrier, number, created) in [("a", "China-Post", "rr123456785cn", 3), ("b", "china-post", "RR123456785CN", 2), ("c", "UPS", "1z999aa10123456784", 1)] {
                try db.execute(
                    sql: """
                        INSERT INTO tracking (key, id, carrier_code, tracking_number, created_at, updated_at, status, archived, tracked, fields)
                        VALUES ('local', ?, ?, ?, ?, ?, 'pending', 0, 1, '{}')
                        """,
                    arguments: [String(repeating: id, count: 32), carrier, number, Choices.epoch - created, Choices.epoch])
            }
        }
        try old.close()
    }

    // MARK: Billing and quotas

    @Test func callsChargeAsDocumented() async throws {
        let key = try #require(try sandbox.addKey(name: "teacher", quota: 100))
        func left() async -> Int? { await send("GET", "/trackings/getuserinfo", key: key).data["track_number"]?.intValue }
        #expect(await left() == 100)
        _ = await create("sto", "402934299065", key: key)
        #expect(await left() == 99)
        let batch = await send("POST", "/trackings/batch", [
            ["carrier_code": "sto", "tracking_number": "402934299065"], ["carrier_code": "sto", "tracking_number": "402934299066"],
            ["carrier_code": "sto", "tracking_number": "402934299067"],
        ], key: key)
        #expect(batch.data["added"] == 2)
        #expect(await left() == 97)
        for _ in 0..<4 { _ = await send("POST", "/trackings/remote", [["country": "JP", "postcode": "7600000"]], key: key) }
        #expect(await left() == 97)
        _ = await send("POST", "/trackings/remote", [["country": "JP", "postcode": "7600000"]], key: key)
        #expect(await left() == 96)
        _ = await send("POST", "/trackings/aircargo", ["track_number": ["172-12345675", "160-12345675"]], key: key)
        #expect(await left() == 56)
        _ = await send("POST", "/trackings/realtime", ["carrier_code": "ups", "tracking_number": "1Z999AA10123456784"], key: key)
        #expect(await left() == 56)
        _ = await send("POST", "/carriers/detect", ["tracking_number": "RR123456785CN"], key: key)
        _ = await send("GET", "/trackings/get", key: key)
        #expect(await left() == 56)
        // Too little for three air waybills: refused whole, nothing spent.
        let air = await send("POST", "/trackings/aircargo", ["track_number": ["172-12345675", "160-12345675", "020-12345675"]], key: key)
        #expect(air.meta.code == 4021)
        #expect(await left() == 56)
    }

    @Test func noQuotaLeftAnswers4021() async throws {
        let key = try #require(try sandbox.addKey(name: "spent", quota: 1))
        #expect(await create("sto", "402934299065", key: key).meta.code == 200)
        #expect(await create("sto", "402934299066", key: key).meta.code == 4021)
        #expect(await send("POST", "/trackings/realtime", ["carrier_code": "sto", "tracking_number": "402934299066"], key: key).meta.code == 4021)
        #expect(await send("POST", "/trackings/remote", [["country": "JP", "postcode": "7600000"]], key: key).meta.code == 4021)
        let batch = await send("POST", "/trackings/batch", [["carrier_code": "sto", "tracking_number": "402934299067"]], key: key)
        #expect(batch.data["errors"]?["0"]?["code"] == 4021)
        // Reads stay free: a spent account still sees its trackings.
        #expect(await send("GET", "/trackings/sto/402934299065", key: key).meta.code == 200)
        #expect(await send("GET", "/trackings/get", key: key).data["total"] == "1")
        #expect(try sandbox.setQuota(keyName: "spent", to: 5))
        #expect(await create("sto", "402934299066", key: key).meta.code == 200)
        #expect(try sandbox.quota(keyName: "spent") == 4)
        #expect(try sandbox.setQuota(keyName: "nobody", to: 5) == false)
    }

    @Test func seedStopsAtTheQuotaAndSaysSo() async throws {
        let key = try #require(try sandbox.addKey(name: "small", quota: 7))
        let seeded = await send("POST", "/sandbox/seed", ["count": 50], key: key)
        #expect(seeded.meta.code == 200)
        #expect(seeded.data["added"] == 7)
        #expect(seeded.data["quota_left"] == 0)
        #expect(seeded.meta.message.contains("Added 7 of 50"))
        #expect(await send("POST", "/sandbox/seed", ["count": 5], key: key).meta.code == 4021)
        // reset gives the granted quota back.
        _ = await send("POST", "/sandbox/reset", key: key)
        #expect(await send("GET", "/trackings/getuserinfo", key: key).data["track_number"] == 7)
    }

    // MARK: Rate limits

    @Test func liveLimitsAnswer429WithTheWait() async throws {
        let clock = TestClock()
        let limited = Sandbox(store: try SQLiteStore(path: ":memory:"), limits: .live, limiter: RateLimiter(now: { clock.now }))
        #expect(await send("GET", "/trackings/get", to: limited).meta.code == 200)
        let over = await send("GET", "/trackings/getuserinfo", to: limited)
        #expect(over.meta.code == 429)
        #expect(over.meta.type == "Too Many Requests")
        #expect(over.meta.message.contains("wait 120 seconds"))
        #expect(over.data == .list([]))
        // The sandbox's own controls are never limited.
        #expect(await send("GET", "/sandbox/clock", to: limited).meta.code == 200)
        clock.advance(.seconds(60))
        #expect(await send("GET", "/trackings/get", to: limited).meta.message.contains("wait 60 seconds"))
        clock.advance(.seconds(61))
        #expect(await send("GET", "/trackings/get", to: limited).meta.code == 200)
        clock.advance(.seconds(1))
        #expect(await send("GET", "/trackings/get", to: limited).meta.code == 200)
        // Realtime allows three a second.
        clock.advance(.seconds(1))
        for _ in 0..<3 {
            #expect(await send("POST", "/trackings/realtime", ["carrier_code": "ups", "tracking_number": "1Z999AA10123456784"], to: limited).meta.code == 200)
        }
        #expect(await send("POST", "/trackings/realtime", ["carrier_code": "ups", "tracking_number": "1Z999AA10123456784"], to: limited).meta.code == 429)
    }

    @Test func limitsAreAnAccountSetting() async throws {
        let clock = TestClock()
        let s = Sandbox(store: try SQLiteStore(path: ":memory:"), limits: nil, limiter: RateLimiter(now: { clock.now }))
        for _ in 0..<5 { #expect(await send("GET", "/trackings/get", to: s).meta.code == 200) }
        #expect(await send("POST", "/sandbox/limits", ["limits": "live"], to: s).data["limits"] == "live")
        #expect(await send("GET", "/trackings/get", to: s).meta.code == 200)
        #expect(await send("GET", "/trackings/get", to: s).meta.code == 429)
        #expect(await send("POST", "/sandbox/limits", ["limits": "off"], to: s).data["limits"] == "off")
        #expect(await send("GET", "/trackings/get", to: s).meta.code == 200)
        #expect(await send("POST", "/sandbox/limits", ["limits": "fast"], to: s).meta.code == 4012)
    }

    // MARK: Small shapes

    @Test func smallShapesMatchTheReference() async {
        let batch = await send("POST", "/trackings/batch", [["carrier_code": "sto", "tracking_number": "402934299065"]])
        #expect(batch.data["trackings"]?["0"]?["order_create_time"] == 0)
        let remote = await send("POST", "/trackings/remote", [["country": "JP", "postcode": "7600000"]])
        #expect(remote.meta.message == "The request was successful.")
        let corrected = await send("POST", "/trackings/post", ["carrier_code": "sto", "tracking_number": "402934299066", "auto_correct": "1"])
        #expect(corrected.meta.code == 200)
        #expect(await send("POST", "/trackings/post", ["carrier_code": "sto", "tracking_number": "402934299067", "auto_correct": "yes"]).meta.code == 4012)
    }

    // MARK: One transaction per request

    /// Eight clients create 400 trackings on a quota of 250 (singles and batches of 40):
    /// exactly 250 are added and the quota falls to 0. (Tests/fidelity.py does 1,600 on
    /// 1,000 against a tms serve on a file; this one stays small and in memory, as its
    /// blocking database calls share the test run's threads. Requests interleave all the
    /// same: before one transaction per request, a create's quota read and write were
    /// separate calls another task could come between.)
    @Test func concurrentCreatesSpendTheQuotaExactly() async throws {
        let s = try Sandbox(path: ":memory:")
        let key = try #require(try s.addKey(name: "load", quota: 250))
        let added = await withTaskGroup(of: Int.self) { group in
            for client in 0..<8 {
                group.addTask {
                    var added = 0
                    for b in 0..<1 {
                        let items = JSON.list((0..<40).map { i in
                            ["carrier_code": "sto", "tracking_number": .string("9\(client)\(b)\(String(1000 + i))00")]
                        })
                        added += await send("POST", "/trackings/batch", items, key: key, to: s).data["added"]?.intValue ?? 0
                    }
                    for i in 0..<10 {
                        let one = await create("sto", "8\(client)\(String(10000 + i))0", key: key, to: s)
                        if one.meta.code == 200 { added += 1 }
                    }
                    return added
                }
            }
            return await group.reduce(0, +)
        }
        #expect(added == 250)
        #expect(await send("GET", "/trackings/getuserinfo", key: key, to: s).data["track_number"] == 0)
        #expect(await send("GET", "/trackings/get", query: [("limit", "1")], key: key, to: s).data["total"] == "250")
    }

    /// 35 rounds of eight concurrent PUTs, each client to its own field of one tracking:
    /// after every round every field holds that round's value (none of the 280 is lost).
    @Test func concurrentPutsToDifferentFieldsAllSurvive() async throws {
        let s = try Sandbox(path: ":memory:")
        _ = await create("sto", "402934299065", to: s)
        let fields = ["title", "logistics_channel", "customer_name", "customer_email", "customer_phone", "order_id", "destination_code", "archived"]
        var lost = 0
        for round in 0..<35 {
            await withTaskGroup(of: Void.self) { group in
                for field in fields {
                    let value: JSON = field == "archived" ? .string(round % 2 == 0 ? "true" : "false") : .string("\(field)-\(round)")
                    group.addTask { _ = await send("PUT", "/trackings/sto/402934299065", .record(Record([(field, value)])), to: s) }
                }
            }
            let now = await send("GET", "/trackings/sto/402934299065", to: s)
            for field in fields {
                let expected: JSON = field == "archived" ? .bool(round % 2 == 0) : .string("\(field)-\(round)")
                if now.data[field] != expected { lost += 1 }
            }
        }
        #expect(lost == 0, "\(lost) of 280 acknowledged PUTs lost")
    }

    /// `sandbox advance` and a PUT at once: the PUT's change survives the clock's rewrite.
    @Test func advanceDoesNotUndoAConcurrentPut() async throws {
        let s = try Sandbox(path: ":memory:")
        _ = await send("POST", "/sandbox/seed", ["count": 200], to: s)
        _ = await create("sto", "402934299065", to: s)
        async let moved = send("POST", "/sandbox/advance", ["seconds": 86400], to: s)
        async let put = send("PUT", "/trackings/sto/402934299065", ["title": "kept"], to: s)
        _ = await (moved, put)
        #expect(await send("GET", "/trackings/sto/402934299065", to: s).data["title"] == "kept")
    }
}

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { instant.withLock { $0 } }
    func advance(_ d: Duration) { instant.withLock { $0 += d } }
}
