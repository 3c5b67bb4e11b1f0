import Testing
import TrackingMore
@testable import TrackingMoreSandbox

/// Every answer of the sandbox has its catalog shape (`Catalog.answer`): no key outside it,
/// every key it says each answer has, in its order, values of its kinds. The non-bulk
/// answers are written by `Shape.Object.make`, which takes its keys and their order from the
/// shape; these tests send every endpoint's answer, and the optional keys, through the check.
@Suite struct AnswerShapeTests {
    func problems(_ e: Endpoint, _ answer: Envelope) -> [String] {
        guard answer.meta.code == 200 || answer.meta.code == 201 else { return ["meta \(answer.meta.code) \(answer.meta.message)"] }
        return e.answer.data.problems(in: answer.data)
    }

    /// Each endpoint's request example (or its bare request) on an empty account, and the
    /// examples it needs first.
    @Test(arguments: Endpoint.ID.allCases)
    func everyAnswerHasItsCatalogShape(_ id: Endpoint.ID) async throws {
        let sandbox = try Sandbox(path: ":memory:")
        var sent = Set<Endpoint.ID>()
        for (e, answer) in try await sandbox.sendExample(id, sent: &sent) {
            #expect(problems(e, answer) == [], "\(e.title)")
        }
    }

    /// The keys only some answers have: seed's `quota_left`, limits' `note`; and the objects
    /// of lists an empty account leaves empty: a delivery, a webhook.
    @Test func optionalKeysAndListItemsHaveTheirShape() async throws {
        let sandbox = try Sandbox(path: ":memory:")
        let key = try #require(try sandbox.addKey(name: "ann", quota: 3))
        let seed = Catalog.endpoint(.sandboxSeed)
        let seeded = await sandbox.handle(APIRequest(method: "POST", path: seed.path, body: JSON.record(["count": 10]).bytes), apiKey: key)
        #expect(seeded.data["quota_left"] == 0)
        #expect(problems(seed, seeded) == [])

        let limited = try Sandbox(path: ":memory:", limits: .live)
        let limits = Catalog.endpoint(.sandboxLimits)
        let answer = await limited.handle(APIRequest(method: "POST", path: limits.path, body: JSON.record(["limits": "off"]).bytes), apiKey: nil)
        #expect(answer.data["note"] != nil)
        #expect(problems(limits, answer) == [])

        var settings = WebhookSettings()
        settings.retryBase = .seconds(3600)
        settings.timeout = .seconds(2)
        let hooked = try Sandbox(path: ":memory:", webhooks: settings)
        let add = Catalog.endpoint(.sandboxWebhookAdd)
        // Nothing listens on port 9 (discard): the attempt fails at once and is recorded.
        let added = await hooked.handle(APIRequest(method: "POST", path: add.path, body: JSON.record(["url": "http://127.0.0.1:9/hook"]).bytes), apiKey: nil)
        #expect(added.data.listValue?.count == 1)
        #expect(problems(add, added) == [])
        var sent = Set<Endpoint.ID>()
        _ = try await hooked.sendExample(.sandboxTrigger, sent: &sent)
        await hooked.webhooks.drain(timeout: .seconds(60))
        let deliveries = Catalog.endpoint(.sandboxDeliveries)
        let attempts = await hooked.handle(APIRequest(method: "GET", path: deliveries.path), apiKey: nil)
        #expect(attempts.data.listValue?.count == 1)
        #expect(problems(deliveries, attempts) == [])
    }

    /// The builder writes the shape's order whatever order it is given, leaves out a nil
    /// optional key and sends `.null` as null.
    @Test func theBuilderWritesTheShapesOrder() {
        let seeded = Catalog.seedResult.make(["quota_left": 0, "added": 5])
        #expect(seeded.recordValue?.keys == ["added", "quota_left"])
        #expect(Catalog.seedResult.make(["added": 5, "quota_left": nil]).recordValue?.keys == ["added"])
        let event = Catalog.airEvent.make([
            "flight_number": "CV123", "station": "FRA", "event": "DEP", "actual_date": .null, "plan_date": "2025-06-02 08:00:00",
        ])
        #expect(event.recordValue?.keys == ["plan_date", "actual_date", "event", "station", "flight_number"])
        #expect(event["actual_date"] == .null)
        #expect(Shape.object(Catalog.airEvent).problems(in: event) == [])
    }

    /// The check finds what the builder refuses: a key outside the shape, a missing key every
    /// answer has, keys out of order, a value of another kind.
    @Test func theCheckFindsWhatIsWrong() {
        let shape = Shape.object(Catalog.seedResult)
        #expect(shape.problems(in: ["added": 1, "extra": 2]) == ["data: extra is not a field of SeedResult"])
        #expect(shape.problems(in: ["quota_left": 1]) == ["data: added of SeedResult is missing"])
        #expect(shape.problems(in: ["quota_left": 1, "added": 2]).first?.contains("order") == true)
        #expect(shape.problems(in: ["added": "1"]) == ["data.added: string, not int"])
        #expect(Shape.list(Catalog.webhook).problems(in: [["url": "u", "statuses": [], "created_at": 3]]) == ["data[0].created_at: int, not string"])
    }
}
