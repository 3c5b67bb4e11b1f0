import Testing
import TrackingMore
@testable import TrackingMoreSandbox

/// The catalog's rules are the sandbox's: every field's limits, refused with the API's code
/// (4014 for a number, 4012 for other text), and nothing refused reaches the store.
@Suite struct ValidationTests {
    let sandbox: Sandbox

    init() throws {
        sandbox = try Sandbox(path: ":memory:")
    }

    func send(_ method: String, _ path: String, _ body: JSON? = nil, query: [(String, String)] = []) async -> Envelope {
        await sandbox.handle(
            APIRequest(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, body: body.map(\.bytes)), apiKey: nil)
    }

    func count() async -> Int {
        await send("GET", "/trackings/get").data["items"]?.listValue?.count ?? -1
    }

    @Test func trackingNumbersFollowTheOfficialClientsRuleWithAMaximumLength() async {
        let longest = String(repeating: "a", count: Catalog.numberLimit)
        let cases: [(String, Int)] = [
            ("RR123456785CN", 200), ("ab-_9", 200), (longest, 200),
            ("abcd", 4014), ("RR 123456785", 4014), ("RR123456785Ç", 4014), (longest + "a", 4014),
            (String(repeating: "9", count: 100_000), 4014),
        ]
        for (number, code) in cases {
            let answer = await send("POST", "/trackings/post", ["tracking_number": .string(number), "carrier_code": "china-post"])
            #expect(answer.meta.code == code, "\(number.prefix(20))")
        }
        // Only the three good ones were stored.
        #expect(await count() == 3)
        // The path of a read is checked by the same rule.
        #expect(await send("GET", "/trackings/china-post/" + longest + "a").meta.code == 4014)
    }

    @Test func everyTextFieldHasALimitAndAnswers4012PastIt() async {
        let requestFields = Catalog.endpoints.flatMap(\.fields).filter { $0.kind == .string }
        #expect(requestFields.allSatisfy { $0.maxLength != nil })
        let long = String(repeating: "x", count: Catalog.textLimit + 1)
        let answer = await send("POST", "/trackings/post", ["tracking_number": "RR123456785CN", "carrier_code": "china-post", "title": .string(long)])
        #expect(answer.meta.code == 4012)
        #expect(answer.meta.message.contains("title takes at most \(Catalog.textLimit) characters"))
        #expect(await count() == 0)
        // In a batch, the refused item is reported and the others are created.
        let batch = await send("POST", "/trackings/batch", [
            ["tracking_number": "RR123456785CN", "carrier_code": "china-post", "customer_name": .string(long)],
            ["tracking_number": "RR123456794CN", "carrier_code": "china-post"],
        ])
        #expect(batch.data["added"] == 1)
        #expect(batch.data["errors"]?.listValue?.first?["code"] == 4012)
        #expect(await count() == 1)
    }

    @Test func theQueryIsCheckedByItsFields() async {
        #expect(await send("GET", "/trackings/get", query: [("limit", "2001")]).meta.code == 4012)
        #expect(await send("GET", "/trackings/get", query: [("page", "0")]).meta.code == 4012)
        #expect(await send("GET", "/trackings/get", query: [("status", "lost")]).meta.code == 4033)
        #expect(await send("GET", "/trackings/get", query: [("created_at_min", "soon")]).meta.code == 4012)
        let many = (1...41).map { "N\($0)0000" }.joined(separator: ",")
        #expect(await send("GET", "/trackings/get", query: [("numbers", many)]).meta.code == 4012)
        #expect(await send("GET", "/trackings/get", query: [("limit", "2000"), ("page", "3")]).meta.code == 200)
    }

    @Test func putTakesOnlyEditableFieldsEachOfItsKind() async {
        _ = await send("POST", "/trackings/post", ["tracking_number": "RR123456785CN", "carrier_code": "china-post"])
        let path = "/trackings/china-post/RR123456785CN"
        #expect(await send("PUT", path, ["comment": "x"]).meta.code == 4012)
        #expect(await send("PUT", path, ["status": 5]).meta.code == 4033)
        #expect(await send("PUT", path, ["archived": true]).meta.code == 4012)
        #expect(await send("PUT", path, ["status": "7", "archived": "true"]).meta.code == 200)
        // updatemore has no customer_phone: the catalog's field list says so, once.
        let more = await send("POST", "/trackings/updatemore", [["tracking_number": "RR123456785CN", "carrier_code": "china-post", "customer_phone": "1"]])
        #expect(more.data["errors"]?.listValue?.first?["code"] == 4012)
    }

    /// The verbs and the sandbox refuse the same values: each refused value of a field is
    /// refused by the field's codec (the verbs' check) with the code the sandbox answers.
    @Test func theVerbsCodecRefusesWhatTheSandboxRefuses() async throws {
        let create = Catalog.endpoint(.create)
        for bad in ["abcd", String(repeating: "a", count: Catalog.numberLimit + 1)] {
            guard case .failure(let p) = Catalog.number.encode(.string(bad)) else {
                Issue.record("\(bad) was accepted by the codec")
                continue
            }
            let answer = await send("POST", "/trackings/post", ["tracking_number": .string(bad), "carrier_code": "china-post"])
            #expect(p.code.rawValue == answer.meta.code)
            #expect(create.validate(body: ["tracking_number": .string(bad), "carrier_code": "china-post"]).first?.code == p.code)
        }
        // A number given for a text is sent as a string, because the field's kind says so.
        #expect(try Catalog.number.encode(.int(402934299065)).get() == "402934299065")
    }

    @Test func anItemsValuesAreReadByPositionAsTheyAreByName() {
        // `fieldPositions` reads an item in one pass over its keys; it must find what looking
        // each field up by name finds, for every endpoint's body and any item.
        for e in Catalog.endpoints {
            let names = e.body.fields.map(\.name)
            var items: [Record] = [Record(), ["unknown": 1], Record(names.map { ($0, JSON.string($0)) })]
            // Keys equal to no name, one of them a name in decomposed form.
            items.append(["tracking_numbe\u{0301}r": 1, "\u{212A}": 2, "ｔｉｔｌｅ": 3])
            items.append(Record(names.reversed().enumerated().map { ($1, $0 % 3 == 0 ? JSON.null : .int($0)) } + [("extra", "x")]))
            if let example = e.requestExample?.body { items += example.listValue?.compactMap(\.recordValue) ?? [example.recordValue].compactMap { $0 } }
            for item in items {
                #expect(e.fieldPositions(in: item) == e.body.fields.map { item.index(of: $0.name) }, "\(e.id)")
            }
        }
        // The fields create and batch keep are found where their bodies have them.
        for (id, layout) in Sandbox.createItemLayouts {
            let fields = Catalog.endpoint(id).body.fields
            #expect(layout.number.map { fields[$0].name } == "tracking_number")
            #expect(layout.carrier.map { fields[$0].name } == "carrier_code")
            #expect(layout.given.map(\.name) == Sandbox.givenCreateFields.map(\.name))
            #expect(layout.given.allSatisfy { g in g.position.map { fields[$0].name } == g.name })
        }
    }
}
