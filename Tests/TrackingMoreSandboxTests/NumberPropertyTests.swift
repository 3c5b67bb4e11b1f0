import PropertyBased
import Testing
import TrackingMore
@testable import TrackingMoreSandbox

/// Numbers in requests to the sandbox (and so to `tms serve`): any page, limit, time or date a
/// client sends is answered, never a trap that would stop the server for every tenant.
@Suite struct SandboxNumberPropertyTests {
    let sandbox: Sandbox

    init() throws {
        sandbox = try Sandbox(path: ":memory:")
    }

    func send(_ method: String, _ path: String, _ body: JSON? = nil, query: [(String, String)] = []) async -> Envelope {
        await sandbox.handle(APIRequest(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, body: body.map(\.bytes)), apiKey: nil)
    }

    static let extremes = ["9223372036854775807", "-9223372036854775808", "9223372036854775808", "0", "-1", "1", "4611686018427387904", "99999999999999999999999"]

    /// `list page=9223372036854775807 limit=2` once killed tms serve.
    @Test func anyPageAndLimitIsAnswered() async {
        _ = await send("POST", "/sandbox/seed", ["count": 5])
        let big = await send("GET", "/trackings/get", query: [("page", "9223372036854775807"), ("limit", "2")])
        #expect(big.meta.code == 200)
        #expect(big.data["items"] == .list([]))
        let values = Gen<String?>.element(of: Self.extremes).map { $0 ?? "" }
        await propertyCheck(count: 100, input: values, values) { page, limit in
            let e = await send("GET", "/trackings/get", query: [("page", page), ("limit", limit)])
            #expect(e.meta.code == 200 || e.meta.code == 4012, "page=\(page) limit=\(limit): \(e.meta)")
        }
        await propertyCheck(count: 100, input: Gen.int(), Gen.int(in: 1...2000)) { page, limit in
            let e = await send("GET", "/trackings/get", query: [("page", String(page)), ("limit", String(limit))])
            #expect(e.meta.code == 200 || e.meta.code == 4012, "page=\(page) limit=\(limit)")
        }
    }

    /// Order dates: a real date in years 1...9999 is its unix time; anything else is no date.
    @Test func orderCreateTimes() async {
        let extremes = Gen<Int?>.element(of: [Int.min, -1, 0, 1, 12, 13, 31, 32, 9999, 10000, 1_000_000_000_000_000, Int.max]).map { $0 ?? 0 }
        await propertyCheck(count: 200, input: extremes, extremes, extremes) { y, m, d in
            let t = Sandbox.parseOrderTime("\(y)/\(m)/\(d)")
            if let t {
                #expect((1...9999).contains(y) && (1...12).contains(m) && (1...31).contains(d))
                #expect(t <= UTC.latest)
            }
        }
        await propertyCheck(count: 200, input: Gen.int(in: 1...9999), Gen.int(in: 1...12), Gen.int(in: 1...28)) { y, m, d in
            let t = Sandbox.parseOrderTime("\(y)-\(m)-\(d) 10:20:30")
            #expect(t == UTC.seconds(year: y, month: m, day: d, hour: 10, minute: 20, second: 30))
            #expect(t.map(UTC.parts).map { [$0.0, $0.1, $0.2] } == [y, m, d])
        }
        await propertyCheck(count: 150, input: Gen.ascii.string(of: 0...30)) { text in
            _ = Sandbox.parseOrderTime(text)
        }
    }

    /// `order_create_time: "1000000000000000/1/1"` once killed tms serve; now the tracking is
    /// created without an order time, as for any text that is not a date.
    @Test func createWithAnOrderTimeOutOfRange() async {
        for (i, time) in ["1000000000000000/1/1", "9223372036854775807/12/31 23:59", "2024/2/30", "0/1/1", "2024/1/1 99999999999999999:00"].enumerated() {
            let body: JSON = ["carrier_code": "usps", "tracking_number": .string("9400111899223100000\(i)"), "order_create_time": .string(time)]
            let e = await send("POST", "/trackings/post", body)
            #expect(e.meta.code == 200 || e.meta.code == 4012, "\(time): \(e.meta)")
        }
        let listed = await send("GET", "/trackings/get", query: [("order_created_time_min", "-9223372036854775808"), ("order_created_time_max", "9223372036854775807")])
        #expect(listed.meta.code == 200)
    }

    /// The clock moves by at most ten years a call and never past the year 9999.
    @Test func advanceIsBounded() async {
        await propertyCheck(count: 100, input: Gen.int()) { seconds in
            let e = await send("POST", "/sandbox/advance", ["seconds": .int(seconds)])
            #expect(e.meta.code == 200 || e.meta.code == 4012)
        }
        _ = await send("GET", "/sandbox/clock")
        try? sandbox.store.write { try $0.setClock(Sandbox.localAccount, to: UTC.latest - 5 * 365 * 86400) }
        #expect(await send("POST", "/sandbox/advance", ["seconds": .int(10 * 365 * 86400)]).meta.code == 4012)
        #expect(await send("POST", "/sandbox/advance", ["seconds": .int(365 * 86400)]).meta.code == 200)
        let now = await send("GET", "/sandbox/clock")
        #expect((now.data["unix"]?.intValue ?? 0) <= UTC.latest)
    }
}
