import Testing
import TrackingMore
@testable import TrackingMoreSandbox

/// The sandbox's webhooks: registration and its limits, which changes fire events and in
/// what order, trigger, retries. Receivers are unreachable ports here (each attempt is then
/// logged as failed); Tests/webhooks.py delivers to real receivers.
@Suite struct WebhookTests {
    let sandbox: Sandbox
    /// Nothing listens on port 9 of 127.0.0.1 (discard), so every attempt fails at once.
    static let deadURL = "http://127.0.0.1:9/hook"

    init() throws {
        var settings = WebhookSettings()
        settings.retryBase = .seconds(3600)
        // A refused connection fails at once; under a loaded test run, do not wait long.
        settings.timeout = .seconds(2)
        sandbox = try Sandbox(path: ":memory:", webhooks: settings)
    }

    func send(_ method: String, _ path: String, _ body: JSON? = nil) async -> Envelope {
        await sandbox.handle(APIRequest(method: method, path: path, body: body.map(\.bytes)), apiKey: nil)
    }

    func add(_ url: String, _ statuses: [String] = []) async -> Envelope {
        await send("POST", "/sandbox/webhooks/add", ["url": .string(url), "statuses": .list(statuses.map { .string($0) })])
    }

    /// The first attempt of every event, after the queues are empty.
    func firstAttempts() async -> [WebhookDelivery] {
        await sandbox.webhooks.drain(timeout: .seconds(60))
        return sandbox.webhooks.deliveries(account: Sandbox.localAccount).filter { $0.attempt == 1 }
    }

    @Test func registersUpToFourLocalURLs() async {
        #expect(await add("http://127.0.0.1:9000/a", ["delivered", "exception"]).meta.code == 200)
        let list = await send("GET", "/sandbox/webhooks")
        #expect(list.data.listValue?.first?["url"] == "http://127.0.0.1:9000/a")
        #expect(list.data.listValue?.first?["statuses"] == ["delivered", "exception"])
        // The same URL again changes its statuses.
        #expect(await add("http://127.0.0.1:9000/a", ["transit"]).data.listValue?.count == 1)
        #expect(await add("http://localhost:9000/b").meta.code == 200)
        #expect(await add("http://[::1]:9000/c").meta.code == 200)
        #expect(await add("http://127.0.0.1:9001/").meta.code == 200)
        let fifth = await add("http://127.0.0.1:9002/")
        #expect(fifth.meta.code == 4012)
        #expect(fifth.meta.message.contains("up to 4"))
        #expect(await send("POST", "/sandbox/webhooks/remove", ["url": "http://localhost:9000/b"]).data.listValue?.count == 3)
        #expect(await send("POST", "/sandbox/webhooks/remove", ["url": "http://localhost:9000/b"]).meta.code == 4012)
    }

    @Test func refusesOtherHostsUnlessAllowed() async throws {
        for url in ["http://example.com/hook", "http://10.0.0.1/", "ftp://127.0.0.1/", "http://user@127.0.0.1.evil.org/", "127.0.0.1:9000", "http://127.0.0.1:99999/", "http://127.0.0.1:x/", "http://[::1/"] {
            #expect(await add(url).meta.code == 4012, "\(url)")
        }
        #expect(await add("http://127.0.0.1:9000/", ["shipped"]).meta.code == 4033)
        var settings = WebhookSettings()
        settings.extraHosts = ["hooks.example.org"]
        let open = try Sandbox(path: ":memory:", webhooks: settings)
        let body: JSON = ["url": "https://hooks.example.org/tm"]
        let answer = await open.handle(APIRequest(method: "POST", path: "/sandbox/webhooks/add", body: body.bytes), apiKey: nil)
        #expect(answer.meta.code == 200)
    }

    @Test func advanceSendsEveryStatusInTheOrderItHappened() async {
        #expect(await add(WebhookTests.deadURL).meta.code == 200)
        for number in ["RR123456785CN", "RR223456785CN", "RR323456785CN"] {
            _ = await send("POST", "/trackings/post", ["carrier_code": "china-post", "tracking_number": .string(number)])
        }
        _ = await send("POST", "/sandbox/advance", ["seconds": .int(20 * 86400)])
        let attempts = await firstAttempts()
        let times = attempts.compactMap { d -> String? in
            (try? JSON.parse(Array(d.body.utf8)))?["data"]?["updated_at"]?.stringValue
        }
        #expect(times.count == attempts.count)
        #expect(times == times.sorted())
        let list = await send("GET", "/trackings/get")
        for t in list.data["items"]?.listValue ?? [] {
            let number = t["tracking_number"]?.stringValue ?? ""
            let statuses = attempts.filter { $0.trackingNumber == number }.map(\.status)
            if t["status"] != "pending" { #expect(statuses.last == t["status"]?.stringValue, "\(number)") }
            #expect(zip(statuses, statuses.dropFirst()).allSatisfy { $0 != $1 })
        }
        #expect(attempts.allSatisfy { $0.outcome == .retrying && $0.answerStatus == nil })
    }

    @Test func putAndTriggerFireAndFiltersApply() async {
        #expect(await add(WebhookTests.deadURL, ["delivered"]).meta.code == 200)
        _ = await send("POST", "/trackings/post", ["carrier_code": "china-post", "tracking_number": "RR123456785CN"])
        // exception is not wanted by the URL; delivered is.
        _ = await send("PUT", "/trackings/china-post/RR123456785CN", ["status": 7])
        _ = await send("PUT", "/trackings/china-post/RR123456785CN", ["status": 4])
        // Unchanged: no event.
        _ = await send("PUT", "/trackings/china-post/RR123456785CN", ["title": "Shoes"])
        let triggered = await send("POST", "/sandbox/trigger", ["status": "delivered", "carrier_code": "china-post", "tracking_number": "RR123456785CN"])
        #expect(triggered.data["status"] == "delivered")
        let attempts = await firstAttempts()
        #expect(attempts.map(\.status) == ["delivered", "delivered"])
        let body = try? JSON.parse(Array((attempts.first?.body ?? "").utf8))
        #expect(body?["verifyInfo"]?["signature"]?.stringValue == attempts.first?.signature)
        #expect(Webhook(body: Array((attempts.first?.body ?? "").utf8))?.isSigned(by: Sandbox.accountEmail) == true)
    }

    @Test func triggerMovesTheRouteOrRefuses() async {
        let pending = await send("POST", "/sandbox/trigger", ["status": "pending", "carrier_code": "china-post", "tracking_number": "RR123456785CN"])
        #expect(pending.data["status"] == "pending")
        let transit = await send("POST", "/sandbox/trigger", ["status": "transit", "carrier_code": "china-post", "tracking_number": "RR123456785CN"])
        if transit.meta.code == 200 {
            #expect(transit.data["status"] == "transit")
            #expect(transit.data["origin_info"]?["trackinfo"]?.listValue?.first?["checkpoint_status"] == "transit")
        } else {
            #expect(transit.meta.message.contains("never reaches transit"))
        }
        #expect(await send("POST", "/sandbox/trigger", ["status": "shipped", "carrier_code": "china-post", "tracking_number": "RR123456785CN"]).meta.code == 4033)
        #expect(await send("POST", "/sandbox/trigger", ["status": "delivered", "carrier_code": "nope", "tracking_number": "RR123456785CN"]).meta.code == 4015)
    }

    @Test func noURLsNoEventsAndTheAPIAnswersFirst() async {
        _ = await send("POST", "/trackings/post", ["carrier_code": "china-post", "tracking_number": "RR123456785CN"])
        _ = await send("POST", "/sandbox/advance", ["seconds": .int(20 * 86400)])
        #expect(await firstAttempts().isEmpty)
        // A URL that never answers does not hold up the request that fired it.
        #expect(await add("http://127.0.0.1:9/slow").meta.code == 200)
        let started = ContinuousClock.now
        _ = await send("POST", "/sandbox/trigger", ["status": "delivered", "carrier_code": "china-post", "tracking_number": "RR123456785CN"])
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func theClockSendsDueRetries() async {
        #expect(await add(WebhookTests.deadURL).meta.code == 200)
        _ = await send("POST", "/sandbox/trigger", ["status": "delivered", "carrier_code": "china-post", "tracking_number": "RR123456785CN"])
        _ = await firstAttempts()
        // The first retry is due 30 virtual seconds later (the real wait here is an hour).
        _ = await send("POST", "/sandbox/advance", ["seconds": 10])
        await sandbox.webhooks.drain(timeout: .seconds(5))
        #expect(sandbox.webhooks.deliveries(account: Sandbox.localAccount).count == 1)
        _ = await send("POST", "/sandbox/advance", ["seconds": 25])
        try? await Task.sleep(for: .milliseconds(200))
        await sandbox.webhooks.drain(timeout: .seconds(5))
        let attempts = sandbox.webhooks.deliveries(account: Sandbox.localAccount)
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.last?.nextAttemptIn == 7200)
    }
}
