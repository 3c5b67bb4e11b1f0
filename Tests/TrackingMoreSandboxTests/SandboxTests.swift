import Testing
#if canImport(Glibc)
import Glibc
#endif
import TrackingMore
@testable import TrackingMoreSandbox

/// The sandbox answers as the v2 API does: envelopes, meta codes, shapes.
@Suite struct SandboxTests {
    let sandbox: Sandbox

    init() throws {
        sandbox = try Sandbox(path: ":memory:")
    }

    func send(_ method: String, _ path: String, _ body: JSON? = nil, query: [(String, String)] = [], key: String? = nil) async -> Envelope {
        await sandbox.handle(
            APIRequest(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, body: body.map(\.bytes)), apiKey: key)
    }

    func create(_ carrier: String, _ number: String, _ extra: [(String, JSON)] = []) async -> Envelope {
        await send("POST", "/trackings/post", .record(Record([("carrier_code", .string(carrier)), ("tracking_number", .string(number))] + extra)))
    }

    @Test func createsAndReadsATracking() async {
        let created = await create("china-post", "RR123456785CN", [("order_id", "A-1001"), ("title", "Shoes")])
        #expect(created.meta == Meta(.success))
        #expect(created.data["status"] == "pending")
        #expect(created.data["order_id"] == "A-1001")
        #expect(created.data["id"]?.stringValue?.count == 32)
        #expect(created.data["created_at"] == "2025-06-02T08:00:00+00:00")

        let read = await send("GET", "/trackings/china-post/RR123456785CN")
        #expect(read.meta.code == 200)
        #expect(read.data["status"] == "pending")
        #expect(read.data["title"] == "Shoes")
        #expect(read.data["origin_info"]?["trackinfo"] == .list([]))
        #expect(read.data["original_country"] == "China")
    }

    /// Ids are 32 hex digits, as live ones, each its own: a batch's, a later day's, and a
    /// number's again after it was deleted and created anew.
    @Test func idsAreHexAndEachItsOwn() async {
        var ids: [String] = []
        for number in ["RR123456785CN", "RR123456799CN", "RR123456802CN"] {
            ids.append(await create("china-post", number).data["id"]?.stringValue ?? "")
        }
        let batch: JSON = .list((0..<5).map { i in ["carrier_code": "sto", "tracking_number": .string("40293429906\(i)")] })
        ids += (await send("POST", "/trackings/batch", batch).data["trackings"]?.listValue ?? []).compactMap { $0["id"]?.stringValue }
        _ = await send("POST", "/sandbox/advance", ["seconds": .int(86400)])
        ids.append(await create("ups", "1Z999AA10123456784").data["id"]?.stringValue ?? "")
        _ = await send("DELETE", "/trackings/ups/1Z999AA10123456784")
        _ = await send("POST", "/sandbox/advance", ["seconds": .int(1)])
        ids.append(await create("ups", "1Z999AA10123456784").data["id"]?.stringValue ?? "")
        #expect(ids.count == 10)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy { $0.isHexDigit && !$0.isUppercase } })
        #expect(Set(ids).count == ids.count)
    }

    /// A create's id is made before its transaction for the account's clock as its last
    /// request read it, and again in the transaction when the clock has moved since: either
    /// way it is the id of the time the tracking was created at.
    @Test func idsAreThoseOfTheTimeOfCreation() async throws {
        func batch(_ numbers: [String]) async throws -> [String] {
            let body = JSON.list(numbers.map { ["carrier_code": "sto", "tracking_number": .string($0)] })
            let clock = try sandbox.store.read { try $0.account(Sandbox.localAccount).clock }
            let ids = (await send("POST", "/trackings/batch", body).data["trackings"]?.listValue ?? []).compactMap { $0["id"]?.stringValue }
            #expect(ids == numbers.map { Sandbox.trackingID(Sandbox.trackingIDHash(Sandbox.localAccount, "sto", $0), clock) })
            return ids
        }
        // No clock known yet; then the one the first batch read; then one that moved since.
        var ids = try await batch(["402934299060", "402934299061"])
        ids += try await batch(["402934299062"])
        _ = await send("POST", "/sandbox/advance", ["seconds": .int(3600)])
        ids += try await batch(["402934299063", "402934299064"])
        #expect(ids.count == 5)
    }

    /// The answers' fields are the catalog's, in its order: one list for the sandbox, the
    /// OpenAPI document, `fields` and the table's columns.
    @Test func trackingFieldsAreTheCatalogs() async throws {
        let created = await create("china-post", "RR123456785CN", [("order_id", "A-1001")])
        #expect(created.data.recordValue?.keys == Catalog.createdTracking.properties.map(\.name))
        #expect(await send("POST", "/sandbox/advance", ["seconds": .int(30 * 86400)]).meta.code == 200)
        let read = try #require(await send("GET", "/trackings/china-post/RR123456785CN").data.recordValue)
        #expect(read.keys == Catalog.trackingObject.sent.map(\.name))
        #expect(read["order_id"] == "A-1001")
        let origin = try #require(read["origin_info"]?.recordValue)
        #expect(origin.keys == Catalog.infoObject.sent.map(\.name))
        let checkpoints = try #require(origin["trackinfo"]?.listValue)
        #expect(!checkpoints.isEmpty)
        let names = Set(Catalog.checkpointObject.properties.map(\.name))
        for c in checkpoints {
            let keys = try #require(c.recordValue?.keys)
            #expect(Set(keys).isSubset(of: names))
            #expect(Catalog.checkpointObject.sent.allSatisfy { keys.contains($0.name) })
        }
        let put = await send("PUT", "/trackings/china-post/RR123456785CN", ["title": "Boots"])
        #expect(put.data.recordValue?.keys == Catalog.putAnswer.properties.map(\.name))
        let batch = await send("POST", "/trackings/batch", [["carrier_code": "ups", "tracking_number": "1Z999AA10123456784"]])
        #expect(batch.data["trackings"]?.listValue?.first?.recordValue?.keys == Catalog.batchTracking.properties.map(\.name))
    }

    @Test func refusesBadCreates() async {
        #expect(await create("china-post", "RR123456785CN").meta.code == 200)
        #expect(await create("china-post", "RR123456785CN").meta.code == 4016)
        #expect(await create("no-such-carrier", "RR123456785CN").meta.code == 4015)
        #expect(await create("ups", "1Z!").meta.code == 4014)
        #expect(await send("POST", "/trackings/post", ["carrier_code": "ups"]).meta.code == 4013)
        #expect(await send("POST", "/trackings/post", ["tracking_number": "1Z999AA10123456784"]).meta.code == 4015)
        let notJSON = await sandbox.handle(APIRequest(method: "POST", path: "/trackings/post", body: Array("{oops".utf8)), apiKey: nil)
        #expect(notJSON.meta.code == 4012)
        #expect(await send("POST", "/trackings/post", [1, 2]).meta.code == 4012)
    }

    @Test func parcelsMoveOnlyWhenTheClockDoes() async {
        _ = await create("ups", "1Z999AA10123456784", [("destination_code", "DE")])
        let before = await send("GET", "/trackings/ups/1Z999AA10123456784")
        let again = await send("GET", "/trackings/ups/1Z999AA10123456784")
        #expect(before == again)
        let advanced = await send("POST", "/sandbox/advance", ["seconds": .int(40 * 86400)])
        #expect(advanced.meta.code == 200)
        let after = await send("GET", "/trackings/ups/1Z999AA10123456784")
        let status = after.data["status"]?.stringValue ?? ""
        #expect(["delivered", "undelivered", "exception", "expired", "notfound"].contains(status))
        let checkpoints = after.data["origin_info"]?["trackinfo"]?.listValue ?? []
        if status != "notfound" && status != "expired" {
            #expect(!checkpoints.isEmpty)
            #expect(after.data["lastEvent"]?.stringValue?.isEmpty == false)
            // Newest first, with the API's field names.
            let first = checkpoints.first?.recordValue
            #expect(first?.keys.prefix(5) == ["Date", "StatusDescription", "Details", "checkpoint_status", "substatus"])
        }
    }

    @Test func routesAreDeterministic() {
        let a = Route(carrier: "ups", number: "1Z999AA10123456784", postal: false, originCountry: "US", destination: nil)
        let b = Route(carrier: "ups", number: "1Z999AA10123456784", postal: false, originCountry: "US", destination: nil)
        #expect(a.events.map(\.offset) == b.events.map(\.offset))
        #expect(a.outcome == b.outcome)
        // Across many numbers every outcome occurs.
        var outcomes = Set<String>()
        for i in 0..<400 {
            let r = Route(carrier: "dhl", number: "12345\(i)", postal: false, originCountry: "DE", destination: "US")
            outcomes.insert("\(r.outcome)".prefix { $0 != "(" }.description)
        }
        #expect(outcomes == ["delivered", "undelivered", "exception", "stalls", "neverFound"])
    }

    /// `refreshed` skips the simulation before `Route.quietSeconds` (every create): no route
    /// may have an event, or be anything but pending, that early.
    @Test func everyRouteIsQuietAtFirst() {
        for i in 0..<2000 {
            for (carrier, postal, origin) in [("dhl", false, "DE"), ("china-post", true, "CN"), ("usps", true, "US")] {
                let r = Route(carrier: carrier, number: "RR\(100_000 + i * 7919)CN", postal: postal, originCountry: origin, destination: i % 3 == 0 ? origin : nil)
                #expect(r.events(after: Route.quietSeconds - 1).isEmpty)
                #expect(r.status(after: Route.quietSeconds - 1).0 == .pending)
                #expect(r.events.first.map { $0.offset >= Route.quietSeconds } ?? true)
            }
        }
    }

    @Test func putChangesOnlyEditableFields() async {
        _ = await create("sto", "402934299065")
        let exception = await send("PUT", "/trackings/sto/402934299065", ["status": 7, "order_id": "B-2", "archived": "true"])
        #expect(exception.meta.code == 200)
        #expect(exception.data["status"] == "7")
        #expect(exception.data["order_id"] == "B-2")
        #expect(exception.data["archived"] == "true")
        #expect(await send("GET", "/trackings/sto/402934299065").data["status"] == "exception")
        let original = await send("PUT", "/trackings/sto/402934299065", ["status": 8])
        #expect(original.data["status"] == "8")
        #expect(await send("GET", "/trackings/sto/402934299065").data["status"] == "pending")
        #expect(await send("PUT", "/trackings/sto/402934299065", ["status": 5]).meta.code == 4033)
        #expect(await send("PUT", "/trackings/sto/402934299065", ["archived": true]).meta.code == 4012)
        #expect(await send("PUT", "/trackings/sto/402934299065", ["carrier_code": "ups", "id": "x"]).meta.code == 4012)
        let empty = await sandbox.handle(APIRequest(method: "PUT", path: "/trackings/sto/402934299065", body: []), apiKey: nil)
        #expect(empty.meta.code == 200)
        #expect(await send("PUT", "/trackings/sto/999999999999", ["title": "x"]).meta.code == 4017)
    }

    @Test func deletesOneAndMany() async {
        _ = await create("sto", "402934299065")
        _ = await create("sto", "402934299066")
        let one = await send("DELETE", "/trackings/sto/402934299065")
        #expect(one.meta.code == 200)
        #expect(one.data == .list([]))
        #expect(await send("GET", "/trackings/sto/402934299065").meta.code == 4017)
        #expect(await send("DELETE", "/trackings/sto/402934299065").meta.code == 4017)
        let many = await send("POST", "/trackings/delete", [
            ["carrier_code": "sto", "tracking_number": "402934299066"], ["carrier_code": "sto", "tracking_number": "402934299067"],
        ])
        #expect(many.data["submitted"] == 2)
        #expect(many.data["delete"] == 1)
        #expect(many.data["trackings"]?[ "1"]?["meta"]?["code"] == 4017)
    }

    @Test func batchReportsPerItem() async {
        _ = await create("china-ems", "LX000000001CN")
        let report = await send("POST", "/trackings/batch", [
            ["carrier_code": "china-ems", "tracking_number": "LX000000001CN"],
            ["carrier_code": "china-ems", "tracking_number": "LX000000002CN", "title": "Books"],
            ["carrier_code": "nope", "tracking_number": "LX000000003CN"],
        ])
        #expect(report.meta == Meta(.created))
        #expect(report.data["submitted"] == 3)
        #expect(report.data["added"] == 1)
        #expect(report.data["trackings"]?["0"]?["title"] == "Books")
        #expect(report.data["errors"]?["0"]?["code"] == 4016)
        #expect(report.data["errors"]?["1"]?["code"] == 4015)
        let tooMany = JSON.list((0..<41).map { i in ["carrier_code": "ups", "tracking_number": .string("1Z99900000000000\(i)")] })
        #expect(await send("POST", "/trackings/batch", tooMany).meta.code == 4020)
        #expect(await send("GET", "/trackings/get").data["total"] == "2")
    }

    @Test func listsPagesAndFilters() async {
        for i in 0..<25 { _ = await create("sto", "4029342990\(10 + i)", [("order_id", .string("O-\(i)"))]) }
        let page = await send("GET", "/trackings/get", query: [("page", "2"), ("limit", "10")])
        #expect(page.data["page"] == 2)
        #expect(page.data["limit"] == 10)
        #expect(page.data["total"] == "25")
        #expect(page.data["count"] == 10)
        let last = await send("GET", "/trackings/get", query: [("page", "3"), ("limit", "10")])
        #expect(last.data["count"] == 5)
        let numbers = await send("GET", "/trackings/get", query: [("numbers", "402934299010,402934299011")])
        #expect(numbers.data["total"] == "2")
        let orders = await send("GET", "/trackings/get", query: [("orders", "O-3")])
        #expect(orders.data["items"]?["0"]?["tracking_number"] == "402934299013")
        #expect(await send("GET", "/trackings/get", query: [("status", "pending")]).data["total"] == "25")
        #expect(await send("GET", "/trackings/get", query: [("status", "lost")]).meta.code == 4033)
        #expect(await send("GET", "/trackings/get", query: [("limit", "2001")]).meta.code == 4012)
        let fortyOne = (0..<41).map { "n\($0)xxxx" }.joined(separator: ",")
        #expect(await send("GET", "/trackings/get", query: [("numbers", fortyOne)]).meta.code == 4012)
        #expect(await send("GET", "/trackings/get", query: [("created_at_min", String(Choices.epoch + 1))]).data["total"] == "0")
        _ = await send("PUT", "/trackings/sto/402934299010", ["archived": "true"])
        #expect(await send("GET", "/trackings/get", query: [("archived", "true")]).data["total"] == "1")
        #expect(await send("GET", "/trackings/get", query: [("archived", "false")]).data["total"] == "24")
    }

    @Test func quotaAndCounts() async {
        let before = await send("GET", "/trackings/getuserinfo")
        #expect(before.data["track_number"] == .int(Choices.initialQuota))
        _ = await create("sto", "402934299065")
        #expect(await send("GET", "/trackings/getuserinfo").data["track_number"] == .int(Choices.initialQuota - 1))
        let counts = await send("GET", "/trackings/getstatusnumber")
        #expect(counts.data["pending"] == 1)
        #expect(counts.data.recordValue?.keys == TrackingStatus.allCases.map(\.rawValue))
    }

    /// A batch charges each item as it goes (the account is written once, at the end of the
    /// request's transaction): when the quota runs out midway the rest are refused with 4021,
    /// and what was spent is what the next request sees.
    @Test func aBatchSpendsTheQuotaItemByItem() async throws {
        let key = try #require(try sandbox.addKey(name: "small", quota: 5))
        let items = JSON.list((0..<8).map { i in ["carrier_code": "dhl", "tracking_number": .string("\(1_000_000_000 + i)")] })
        let report = await send("POST", "/trackings/batch", items, key: key)
        #expect(report.data["added"] == 5)
        #expect(report.data["errors"]?.listValue?.compactMap { $0["code"]?.intValue } == [4021, 4021, 4021])
        #expect(await send("GET", "/trackings/getuserinfo", key: key).data["track_number"] == 0)
        #expect(try sandbox.quota(keyName: "small") == 0)
        #expect(await send("GET", "/trackings/get", key: key).data["total"] == "5")
    }

    /// A batch the quota covers is stored in one statement; each item's outcome is still the
    /// one storing them in order gives: of two items with the same number (in any case) and
    /// carrier the first is created, one stored before is refused, and only those created
    /// are charged.
    @Test func aBatchStoredAtOnceReportsEachItemInOrder() async throws {
        try await expectEachItemInOrder(sandbox)
    }

    /// The same when the largest rowid there can be is taken: SQLite then gives new rows
    /// rowids of its choosing, so those stored cannot be read back as the rows after the
    /// largest, and the statement returns them itself.
    @Test func aBatchPastTheLargestRowidReportsEachItemInOrder() async throws {
        let store = try SQLiteStore(path: ":memory:")
        try await store.db.write { db in
            try db.execute(sql: """
                INSERT INTO tracking (rowid, account, id, carrier_code, tracking_number, created_at, updated_at, status, archived, tracked, fields)
                VALUES (9223372036854775807, 999, 'last', 'dhl', 'LAST', 0, 0, 'pending', 0, 1, '{}')
                """)
        }
        try await expectEachItemInOrder(Sandbox(store: store))
    }

    func expectEachItemInOrder(_ sandbox: Sandbox) async throws {
        func send(_ method: String, _ path: String, _ body: JSON? = nil, query: [(String, String)] = [], key: String) async -> Envelope {
            await sandbox.handle(
                APIRequest(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, body: body.map(\.bytes)), apiKey: key)
        }
        let key = try #require(try sandbox.addKey(name: "atonce", quota: 10))
        _ = await send("POST", "/trackings/post", ["carrier_code": "dhl", "tracking_number": "1000000003"], key: key)
        let report = await send("POST", "/trackings/batch", [
            ["carrier_code": "dhl", "tracking_number": "JJD000000001", "title": "first"],
            ["carrier_code": "dhl", "tracking_number": "1000000002"],
            ["carrier_code": "dhl", "tracking_number": "jjd000000001", "title": "second"],
            ["carrier_code": "dhl", "tracking_number": "1000000003"],
            ["carrier_code": "nope", "tracking_number": "1000000004"],
            ["carrier_code": "dhl", "tracking_number": "1000000005"],
        ], key: key)
        #expect(report.data["submitted"] == 6)
        #expect(report.data["added"] == 3)
        #expect(report.data["trackings"]?.listValue?.compactMap { $0["tracking_number"]?.stringValue } == ["JJD000000001", "1000000002", "1000000005"])
        #expect(report.data["trackings"]?["0"]?["title"] == "first")
        #expect(report.data["errors"]?.listValue?.compactMap { $0["tracking_number"]?.stringValue } == ["jjd000000001", "1000000003", "1000000004"])
        #expect(report.data["errors"]?.listValue?.compactMap { $0["code"]?.intValue } == [4016, 4016, 4015])
        #expect(try sandbox.quota(keyName: "atonce") == 10 - 1 - 3)
        let stored = await send("GET", "/trackings/get", query: [("numbers", "JJD000000001")], key: key)
        #expect(stored.data["items"]?["0"]?["title"] == "first")
        #expect(await send("GET", "/trackings/get", key: key).data["total"] == "4")
        // All new: stored without reading any back.
        let fresh = await send("POST", "/trackings/batch", .list((6...9).map { ["carrier_code": "dhl", "tracking_number": .string("100000000\($0)")] }), key: key)
        #expect(fresh.data["added"] == 4)
        #expect(fresh.data["trackings"]?.listValue?.compactMap { $0["tracking_number"]?.stringValue } == ["1000000006", "1000000007", "1000000008", "1000000009"])
    }

    /// Items of one batch with the same keys, the same keys in another order, and other keys:
    /// each item's fields are read from its own keys (where the body's fields are among an
    /// item's keys is found once for a run of items with the same keys).
    @Test func aBatchReadsEachItemByItsOwnKeys() async throws {
        let items: [JSON] = [
            .record(Record([("carrier_code", "dhl"), ("tracking_number", "2000000001"), ("title", "a"), ("order_id", "O1")])),
            .record(Record([("carrier_code", "dhl"), ("tracking_number", "2000000002"), ("title", "b"), ("order_id", "O2")])),
            .record(Record([("tracking_number", "2000000003"), ("carrier_code", "dhl"), ("order_id", "O3"), ("title", "c")])),
            .record(Record([("carrier_code", "dhl"), ("tracking_number", "2000000004"), ("customer_email", "d@example.org")])),
            .record(Record([("carrier_code", "dhl"), ("tracking_number", "2000000005"), ("title", "e"), ("order_id", "O5")])),
        ]
        let report = await send("POST", "/trackings/batch", .list(items))
        #expect(report.data["added"] == 5)
        let trackings = try #require(report.data["trackings"]?.listValue)
        #expect(trackings.map { $0["title"]?.stringValue } == ["a", "b", "c", nil, "e"])
        #expect(trackings.map { $0["order_id"]?.stringValue } == ["O1", "O2", "O3", nil, "O5"])
        #expect(trackings.map { $0["customer_email"]?.stringValue } == [nil, nil, nil, "d@example.org", nil])
    }

    /// When the quota runs out partway, the items go one by one: which item it runs out at
    /// depends on the refusals before it.
    @Test func aBatchTheQuotaDoesNotCoverGoesItemByItem() async throws {
        let key = try #require(try sandbox.addKey(name: "partway", quota: 3))
        _ = await send("POST", "/trackings/post", ["carrier_code": "dhl", "tracking_number": "1000000001"], key: key)
        let items = JSON.list(["1000000001", "1000000002", "1000000002", "1000000003", "1000000004"].map { n in
            ["carrier_code": "dhl", "tracking_number": .string(n)]
        })
        let report = await send("POST", "/trackings/batch", items, key: key)
        #expect(report.data["added"] == 2)
        #expect(report.data["errors"]?.listValue?.compactMap { $0["code"]?.intValue } == [4016, 4016, 4021])
        #expect(report.data["errors"]?["2"]?["tracking_number"] == "1000000004")
        #expect(try sandbox.quota(keyName: "partway") == 0)
    }

    @Test func seededTrackingsCoverTheStatuses() async {
        let seeded = await send("POST", "/sandbox/seed", ["count": 300])
        #expect(seeded.data["added"] == 300)
        let counts = await send("GET", "/trackings/getstatusnumber")
        let nonZero = counts.data.recordValue?.pairs.filter { ($0.1.intValue ?? 0) > 0 }.map(\.0) ?? []
        #expect(nonZero.count >= 5, "\(counts.data)")
        #expect(await send("POST", "/sandbox/reset").meta.code == 200)
        #expect(await send("GET", "/trackings/get").data["total"] == "0")
    }

    @Test func unknownPathsAndMethods() async {
        #expect(await send("GET", "/trackings/nothing/here/at/all").meta.code == 404)
        let wrong = await send("DELETE", "/trackings/get")
        #expect(wrong.meta.code == 405)
        #expect(await send("PATCH", "/trackings/sto/402934299065").meta.code == 405)
    }

    @Test func keysSeparateAccounts() async throws {
        let a = try #require(try sandbox.addKey(name: "alice"))
        let b = try #require(try sandbox.addKey(name: "bob"))
        #expect(try sandbox.addKey(name: "alice") == nil)
        #expect(a != b && a.hasPrefix("tms_"))
        #expect(await send("GET", "/trackings/getuserinfo", key: "tms_wrong").meta.code == 4001)
        _ = await send("POST", "/trackings/post", ["carrier_code": "sto", "tracking_number": "402934299065"], key: a)
        #expect(await send("GET", "/trackings/sto/402934299065", key: a).meta.code == 200)
        #expect(await send("GET", "/trackings/sto/402934299065", key: b).meta.code == 4017)
        #expect(try sandbox.revokeKey(name: "alice"))
        #expect(await send("GET", "/trackings/sto/402934299065", key: a).meta.code == 4002)
        #expect(try sandbox.keys().map(\.name) == ["alice", "bob"])
    }

    /// The key is read in the request's own transaction, yet still checked before anything
    /// else the request asks: a wrong path, body or batch size is not told to a bad key.
    @Test func theKeyIsCheckedFirst() async throws {
        let a = try #require(try sandbox.addKey(name: "alice"))
        let tooMany = JSON.list((0..<41).map { i in ["carrier_code": "sto", "tracking_number": .string("40293429\(1000 + i)")] })
        for key in ["tms_wrong", a] {
            if key == a { #expect(try sandbox.revokeKey(name: "alice")) }
            let code = key == a ? 4002 : 4001
            #expect(await send("GET", "/trackings/nothing/here/at/all", key: key).meta.code == code)
            #expect(await send("DELETE", "/trackings/get", key: key).meta.code == code)
            let notJSON = await sandbox.handle(APIRequest(method: "POST", path: "/trackings/post", body: Array("{oops".utf8)), apiKey: key)
            #expect(notJSON.meta.code == code)
            #expect(await send("POST", "/trackings/batch", tooMany, key: key).meta.code == code)
            #expect(await send("POST", "/trackings/post", ["carrier_code": "sto", "tracking_number": "402934299065"], key: key).meta.code == code)
        }
        // Nothing was stored for the refused creates.
        #expect(await send("GET", "/trackings/get").data["total"] == "0")
    }

    /// A tracking read again at the same clock time comes from the render cache, but never a
    /// stale one: an edit, a move of the clock, or a write by another process on the same
    /// database file shows in the next read.
    @Test func readsAfterWritesAreFresh() async throws {
        _ = await create("ups", "1Z999AA10123456784", [("title", "Shoes")])
        #expect(await send("GET", "/trackings/ups/1Z999AA10123456784").data["title"] == "Shoes")
        _ = await send("PUT", "/trackings/ups/1Z999AA10123456784", ["title": "Boots"])
        #expect(await send("GET", "/trackings/ups/1Z999AA10123456784").data["title"] == "Boots")
        let listed = await send("GET", "/trackings/get").data["items"]?.listValue?.first
        #expect(listed?["title"] == "Boots")
        _ = await send("POST", "/sandbox/advance", ["seconds": .int(3 * 86400)])
        #expect(await send("GET", "/trackings/ups/1Z999AA10123456784").data["status"] != "pending")

        // The JSON text tms serve sends for a GET is the tracking's own, from the first read on;
        // a changed envelope drops it.
        for _ in 0..<2 {
            var read = await send("GET", "/trackings/ups/1Z999AA10123456784")
            #expect(read.encodedData != nil && read.encodedData == read.data.bytes)
            read.data = .null
            #expect(read.encodedData == nil)
        }

        let path = "/tmp/tms-render-cache-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let server = try Sandbox(path: path)
        let other = try Sandbox(path: path)
        let get = APIRequest(method: "GET", path: "/trackings/sto/402934299065")
        let created: JSON = ["carrier_code": "sto", "tracking_number": "402934299065", "title": "A"]
        _ = await server.handle(APIRequest(method: "POST", path: "/trackings/post", body: created.bytes), apiKey: nil)
        #expect(await server.handle(get, apiKey: nil).data["title"] == "A")
        let edit: JSON = ["title": "B"]
        _ = await other.handle(APIRequest(method: "PUT", path: "/trackings/sto/402934299065", body: edit.bytes), apiKey: nil)
        #expect(await server.handle(get, apiKey: nil).data["title"] == "B")
    }

    @Test func realtimeUpdateCarrierAndNotupdate() async {
        let live = await send("POST", "/trackings/realtime", ["carrier_code": "ups", "tracking_number": "1Z999AA10123456784"])
        #expect(live.data["items"]?["0"]?["tracking_number"] == "1Z999AA10123456784")
        #expect(await send("GET", "/trackings/ups/1Z999AA10123456784").meta.code == 4017)

        _ = await create("china-ems", "LK123456785CN")
        let moved = await send("POST", "/trackings/update", [
            "carrier_code": "china-ems", "tracking_number": "LK123456785CN", "update_carrier_code": "china-post",
        ])
        #expect(moved.data == ["Usertag": ""])
        #expect(await send("GET", "/trackings/china-post/LK123456785CN").meta.code == 200)

        let stop = await send("POST", "/trackings/notupdate", [["carrier_code": "china-post", "tracking_number": "LK123456785CN"]])
        #expect(stop.data["change"] == 1)
        let frozen = await send("GET", "/trackings/china-post/LK123456785CN")
        _ = await send("POST", "/sandbox/advance", ["seconds": .int(30 * 86400)])
        #expect(await send("GET", "/trackings/china-post/LK123456785CN").data["status"] == frozen.data["status"])
    }

    @Test func remoteCosttimeAircargoCarriersDetect() async {
        let remote = await send("POST", "/trackings/remote", [["country": "JP", "postcode": "7600000"], ["country": "New Zealand", "postcode": "Town", "company": "DHL"]])
        #expect(remote.data["submitted"] == 2)
        #expect((remote.data["remote"]?.listValue?.count ?? 0) + (remote.data["other"]?.listValue?.count ?? 0) == 2)
        let cost = await send("POST", "/trackings/costtime", [["carrier_code": "dhl", "original": "CN", "destination": "DE"]])
        #expect(cost.data["0"]?.recordValue?.keys == ["carrier_code", "original", "destination", "total", "delivered", "range1", "range3", "range4", "range5"])
        let air = await send("POST", "/trackings/aircargo", ["track_number": ["172-12345675"]])
        #expect(air.data["0"]?["track_number"] == "172-12345675")
        #expect(await send("POST", "/trackings/aircargo", ["track_number": ["172-12345678"]]).meta.code == 4014)
        let carriers = await send("GET", "/carriers")
        #expect((carriers.data.listValue?.count ?? 0) >= 100)
        let detected = await send("POST", "/carriers/detect", ["tracking_number": "RR123456785CN"])
        #expect(detected.data["0"]?["code"] == "china-post")
        #expect(await send("POST", "/carriers/detect", ["tracking_number": "??"]).meta.code == 4032)
    }

    @Test func inProcessTransportCarriesBytes() async throws {
        let transport = InProcessTransport(sandbox: sandbox)
        let answer = try await transport.send(APIRequest(method: "GET", path: "/trackings/getuserinfo"))
        #expect(answer.meta.code == 200)
        #expect(answer.data["email"] == "sandbox@example.org")
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(KeyHash.of("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(KeyHash.of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(KeyHash.of(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func civilDates() {
        #expect(UTC.iso(0) == "1970-01-01T00:00:00+00:00")
        #expect(UTC.iso(1_713_000_000) == "2024-04-13T09:20:00+00:00")
        #expect(UTC.days(2024, 2, 29) * 86400 == 1_709_164_800)
    }
}
