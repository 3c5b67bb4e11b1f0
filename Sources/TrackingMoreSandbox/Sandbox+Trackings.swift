import TrackingMore

extension Sandbox {
    // MARK: One tracking

    func create(_ call: Call) throws -> Envelope {
        // A create's body is one object, so one item.
        guard let new = call.newTrackings.news.first else { throw Refusal(.badRequest, "The body must be a JSON object.") }
        let tracking = try insert(new.get(), call)
        return Envelope(Choices.createCode, .record(shortForm(tracking, batch: false)))
    }

    /// The items of a create or batch body, each with the tracking it adds or its refusal
    /// (`newTracking`); nil for other endpoints. Nothing here reads the store, so `handle` does
    /// it before the request's transaction (`Call.creates`). With the account's clock as it
    /// last was (`time`), each tracking's id is made for that time here too, off the writer
    /// (`NewTracking.id(at:)`); the transaction makes it again only if the clock has moved.
    static func newTrackings(_ endpoint: Endpoint, _ body: JSON, account: String, at time: Int? = nil) -> NewTrackings? {
        let items: [Record]
        switch endpoint.id {
        case .create: items = [Call.object(of: body)]
        case .batch: items = Call.objects(of: body)
        default: return nil
        }
        // The account's part of the items' id hashes is the same for all of them: read once.
        let accountHash = trackingIDHash(account: account)
        // A batch's items mostly have the same keys in the same order (a client writes them
        // from one table or type): where the body's fields are among them is found once.
        var last: (keys: [String], positions: [Int?])?
        return NewTrackings(items: items, news: items.map { item in
            let positions: [Int?]
            if let last, last.keys == item.keys {
                positions = last.positions
            } else {
                positions = endpoint.fieldPositions(in: item)
                last = (item.keys, positions)
            }
            return Result {
                var new = try newTracking(item, for: endpoint, accountHash: accountHash, positions: positions)
                if let time { new.madeID = (time, trackingID(new.idHash, time)) }
                return new
            }
        })
    }

    /// Create or batch items, each with the tracking it adds or its refusal, side by side
    /// (`news[i]` is `items[i]`'s): an array of pairs had each pair copied whole, a dozen
    /// reference counts, whenever one half of one was read.
    struct NewTrackings {
        var items: [Record] = []
        var news: [Result<NewTracking, any Error>] = []
    }

    /// A create or batch item of the account checked (`Call.identify`) and its fields read:
    /// the refusal carries the per-item code.
    static func newTracking(_ item: Record, for endpoint: Endpoint, account: String) throws -> NewTracking {
        try newTracking(item, for: endpoint, accountHash: trackingIDHash(account: account))
    }

    /// The same with the account's part of the id hash read (`trackingIDHash(account:)`), and
    /// where the item has the body's fields (`Endpoint.fieldPositions`) when they are known,
    /// found once for the check and for the fields.
    static func newTracking(_ item: Record, for endpoint: Endpoint, accountHash: SipHash128, positions: [Int?]? = nil) throws -> NewTracking {
        let layout = createItemLayouts[endpoint.id] ?? CreateItemLayout(endpoint)
        let positions = positions ?? endpoint.fieldPositions(in: item)
        // `Call.identify(_:for:)`, with the positions found.
        if case .array = endpoint.body, let problem = endpoint.validate(item: item, positions: positions).first { throw Refusal(problem) }
        let (carrier, number) = try Call.identify(
            number: layout.value(of: "tracking_number", at: layout.number, positions, item),
            carrier: layout.value(of: "carrier_code", at: layout.carrier, positions, item))
        // In the catalog's order; its names are unique, so the record is built without looking.
        var names: [String] = []
        var values: [JSON] = []
        // Each value kept comes from a key of its own.
        names.reserveCapacity(item.count)
        values.reserveCapacity(item.count)
        var orderTime: String?
        for k in layout.given.indices {
            let f = layout.given[k]
            guard let v = layout.value(of: f.name, at: f.position, positions, item), !v.isNull else { continue }
            names.append(f.name)
            if f.isInt {
                // `auto_correct` comes as 1 or as "1" from the official samples; both are read.
                guard let n = v.intValue ?? v.stringValue.flatMap({ Int($0) }) else {
                    throw Refusal(.badRequest, "\(f.name) must be an integer.")
                }
                values.append(.int(n))
            } else {
                let text = try Call.string(v, f.name) ?? ""
                values.append(.string(text))
                if k == layout.orderCreateTime { orderTime = text }
            }
        }
        let fields = Record(uniqueKeys: names, values: values)
        return NewTracking(
            carrier: carrier, number: number, fields: fields, fieldsText: JSON.record(fields).compactText,
            orderCreatedAt: orderTime.flatMap(parseOrderTime),
            idHash: trackingIDHash(accountHash, carrier, number))
    }

    /// Where the fields a create or batch item is read for are among its endpoint's body
    /// fields (`Endpoint.fieldPositions`): found once for each endpoint, not by name for each item.
    struct CreateItemLayout: Sendable {
        let number: Int?
        let carrier: Int?
        /// `givenCreateFields` in order: each one's name, whether it is read as an integer,
        /// and its position (nil: not a body field of the endpoint).
        let given: [(name: String, isInt: Bool, position: Int?)]
        /// Which of `given` is `order_create_time`.
        let orderCreateTime: Int?

        init(_ endpoint: Endpoint) {
            let names = endpoint.body.fields.map(\.name)
            number = names.firstIndex(of: "tracking_number")
            carrier = names.firstIndex(of: "carrier_code")
            given = Sandbox.givenCreateFields.map { f in (f.name, f.kind == .int, names.firstIndex(of: f.name)) }
            orderCreateTime = given.firstIndex { $0.name == "order_create_time" }
        }

        /// The item's value of a field: where `Endpoint.fieldPositions` found it, or by name
        /// for a field the body lacks.
        func value(of name: String, at position: Int?, _ positions: [Int?], _ item: Record) -> JSON? {
            guard let position else { return item[name] }
            return positions[position].map { item.values[$0] }
        }
    }

    /// The endpoints `newTrackings` reads items for; another is worked out when asked.
    static let createItemLayouts: [Endpoint.ID: CreateItemLayout] = [
        .create: CreateItemLayout(Catalog.endpoint(.create)), .batch: CreateItemLayout(Catalog.endpoint(.batch)),
    ]

    /// The fields of a create kept with the tracking (title, order_id, ...): all but its identity.
    static let givenCreateFields = Catalog.createFields.filter { $0.name != "tracking_number" && $0.name != "carrier_code" }
    static let givenFields = Set(givenCreateFields.map(\.name))

    /// Validates and stores one new tracking; the refusal carries the per-item code.
    func insert(_ item: Record, _ call: Call) throws -> StoredTracking {
        try insert(Sandbox.newTracking(item, for: call.endpoint, account: call.account), call)
    }

    /// Stores a new tracking at the account's clock, charging for it.
    func insert(_ new: NewTracking, _ call: Call) throws -> StoredTracking {
        try call.requireQuota(Choices.createCost)
        let t = storedTracking(new, call)
        guard try call.store.insert(call.account, t, fieldsText: new.fieldsText) else { throw Refusal(.trackingExists) }
        try call.charge(Choices.createCost)
        return t
    }

    /// A new tracking as it is stored at the account's clock.
    func storedTracking(_ new: NewTracking, _ call: Call) -> StoredTracking {
        var t = StoredTracking(
            id: new.id(at: call.now), carrierCode: new.carrier, trackingNumber: new.number, createdAt: call.now,
            fields: new.fields, archived: false, statusOverride: nil, tracked: true, frozenAt: nil,
            status: TrackingStatus.pending.rawValue, updatedAt: call.now, orderCreatedAt: new.orderCreatedAt)
        refresh(&t, now: call.now)
        return t
    }

    func get(_ call: Call) throws -> Envelope {
        renderedEnvelope(try existing(call), now: call.now)
    }

    /// The tracking named by the path, or the refusal the API gives.
    func existing(_ call: Call) throws -> StoredTracking {
        let (carrier, number) = try call.identify(carrier: call.pathValues["carrier_code"] ?? "", number: call.pathValues["tracking_number"] ?? "")
        guard let t = try call.store.tracking(call.account, carrier: carrier, number: number) else {
            throw Refusal(Choices.missingTrackingCode)
        }
        return t
    }

    func put(_ call: Call) throws -> Envelope {
        var t = try existing(call)
        t = try applyEdits(call.object, to: t, call)
        try call.store.update(call.account, [t])
        return Envelope(.success, .record(putAnswer(t, call.object)))
    }

    /// The answer to a PUT, field for field and in the order of the API document's example:
    /// the editable fields as they now are, `archived` as the string `"true"`/`"false"` and
    /// `status` as the code of the status change (`"4"`, `"7"`, `"8"`) rather than a status
    /// word. When the body set no status, `status` is the change still in force (`"4"` or
    /// `"7"`), or null when the carrier's own status applies (a choice: see Choices).
    func putAnswer(_ t: StoredTracking, _ body: Record) -> Record {
        let names = Catalog.putAnswer.properties.map(\.name)
        return Record(uniqueKeys: names, values: names.map { name in
            switch name {
            case "archived": return .string(t.archived ? "true" : "false")
            case "status":
                if let set = body["status"].flatMap(StatusChange.init(json:)) { return .string(String(set.rawValue)) }
                return t.statusOverride.map { .string(String($0)) } ?? .null
            default: return common(name, t) ?? .null
            }
        })
    }

    /// The editable fields of a PUT or updatemore item applied to a tracking; anything else
    /// is refused before anything changes.
    /// The item was checked against the endpoint's fields (`Endpoint.validate`): only
    /// editable fields, each of its kind.
    func applyEdits(_ item: Record, to tracking: StoredTracking, _ call: Call) throws -> StoredTracking {
        var t = tracking
        for (name, value) in item.pairs where name != "tracking_number" && name != "carrier_code" {
            switch name {
            case _ where value.isNull && Choices.nullLeavesFieldAlone:
                // Not given: the official PHP class sends null for every field it was not
                // asked to change (Choices.nullLeavesFieldAlone).
                continue
            case "status":
                // The catalog checked it (4, 7 or 8, as a number or a string of one).
                let change = StatusChange(json: value)
                t.statusOverride = change == .original ? nil : change?.rawValue
            case "archived":
                t.archived = value.stringValue == "true"
            default:
                t.fields[name] = .string(try call.string(item, name) ?? "")
            }
        }
        return refreshed(t, now: call.now)
    }

    func delete(_ call: Call) throws -> Envelope {
        let t = try existing(call)
        _ = try call.store.delete(call.account, carrier: t.carrierCode, number: t.trackingNumber)
        return Envelope(.success, .list([]))
    }

    func updateCarrier(_ call: Call) throws -> Envelope {
        let item = call.object
        let (carrier, number) = try call.identify(item)
        guard let target = try call.string(item, "update_carrier_code").flatMap(Carriers.carrier(code:))?.code else {
            throw Refusal(.carrierCodeInvalid, "update_carrier_code is not a known carrier code.")
        }
        guard let t = try call.store.tracking(call.account, carrier: carrier, number: number) else {
            throw Refusal(Choices.missingTrackingCode)
        }
        if target != carrier {
            guard try call.store.changeCarrier(call.account, t, to: target) else { throw Refusal(.trackingExists) }
            if var moved = try call.store.tracking(call.account, carrier: target, number: number) {
                moved = refreshed(moved, now: call.now)
                try call.store.update(call.account, [moved])
            }
        }
        return Envelope(.success, Catalog.updateCarrierResult.make(["Usertag": ""]))
    }

    func realtime(_ call: Call) throws -> Envelope {
        let (carrier, number) = try call.identify(call.object)
        if Choices.realtimeNeedsQuota { try call.requireQuota(1) }
        let t: StoredTracking
        if let stored = try call.store.tracking(call.account, carrier: carrier, number: number) {
            t = stored
        } else {
            // Not stored (Choices.realtimeStores): the parcel is simulated as shipped some days ago.
            let age = Int(fnv1a(carrier + number) % (20 * 86400))
            var fields = Record()
            if let d = try call.string(call.object, "destination_code") { fields["destination_code"] = .string(d) }
            t = refreshed(
                StoredTracking(
                    id: Sandbox.trackingID(Sandbox.trackingIDHash("realtime", carrier, number), 0), carrierCode: carrier, trackingNumber: number,
                    createdAt: call.now - age, fields: fields, archived: false, statusOverride: nil, tracked: true,
                    frozenAt: nil, status: "pending", updatedAt: call.now, orderCreatedAt: nil), now: call.now)
        }
        return Envelope(.success, Catalog.realtimeResult.make(["items": [render(t, now: call.now)]]))
    }

    // MARK: Many trackings

    func batch(_ call: Call) throws -> Envelope {
        // Every tracking of a batch is created at the account's one moment: its time written once.
        let now = (time: call.now, iso: UTC.iso(call.now))
        let creates = call.newTrackings
        let atOnce = try insertAtOnce(creates, call)
        var placement: ShortForm.Placement?
        let report = try bulk(call, Array(creates.items.indices), item: { creates.items[$0] }) { i in
            guard let atOnce else {
                return .record(shortForm(try insert(creates.news[i].get(), call), batch: true, created: now, placing: &placement))
            }
            if case .failure(let refusal) = creates.news[i] { throw refusal }
            guard let row = atOnce.rowOf[i] else { throw Refusal(.trackingExists) }
            return .record(shortForm(atOnce.rows[row].tracking, batch: true, created: now, placing: &placement))
        }
        return Envelope(report.done == 0 ? .success : Choices.batchCode, report.json)
    }

    /// Stores the items of a batch that can be created in one statement of the store, when the
    /// quota covers them all (as it mostly does), and charges for those stored: the rows given
    /// to the store and, for each item, its row when it was stored (nil when its number and
    /// carrier were taken, or it was refused). This is what storing them one by one gives; only
    /// when the quota runs out partway does the item it runs out at matter, and then nothing is
    /// stored here (nil) and the items go one by one. Each tracking is made once, into its row,
    /// and read from there: a tracking copied is some dozen reference counts.
    func insertAtOnce(_ creates: NewTrackings, _ call: Call) throws -> (rows: [TrackingInsert], rowOf: [Int?])? {
        // The items that can be created; their trackings are made once the quota is known to cover them.
        var valid = 0
        for i in creates.news.indices { if case .success = creates.news[i] { valid += 1 } }
        guard valid * Choices.createCost <= (try call.store.account(call.account).quota) else { return nil }
        var rows: [TrackingInsert] = []
        var places: [Int] = []
        rows.reserveCapacity(valid)
        places.reserveCapacity(valid)
        for i in creates.news.indices {
            guard case .success(let new) = creates.news[i] else { continue }
            rows.append(TrackingInsert(tracking: storedTracking(new, call), fieldsText: new.fieldsText))
            places.append(i)
        }
        let inserted = try call.store.insert(call.account, rows)
        var rowOf = [Int?](repeating: nil, count: creates.news.count)
        var count = 0
        for k in rows.indices where inserted[k] {
            rowOf[places[k]] = k
            count += 1
        }
        if count > 0 { try call.charge(count * Choices.createCost) }
        return (rows, rowOf)
    }

    func updatemore(_ call: Call) throws -> Envelope {
        let report = try bulk(call) { item in
            let (carrier, number) = try call.identify(item)
            guard let t = try call.store.tracking(call.account, carrier: carrier, number: number) else {
                throw Refusal(Choices.missingTrackingCode)
            }
            let changed = try applyEdits(item, to: t, call)
            try call.store.update(call.account, [changed])
            return .record(shortForm(changed, batch: true))
        }
        return Envelope(.success, report.json)
    }

    func deleteMany(_ call: Call) throws -> Envelope {
        let report = try bulk(call) { item in
            let (carrier, number) = try call.identify(item)
            guard try call.store.delete(call.account, carrier: carrier, number: number) else { throw Refusal(Choices.missingTrackingCode) }
            return nil
        }
        return Envelope(.success, report.json)
    }

    func notupdate(_ call: Call) throws -> Envelope {
        let report = try bulk(call) { item in
            let (carrier, number) = try call.identify(item)
            guard var t = try call.store.tracking(call.account, carrier: carrier, number: number) else {
                throw Refusal(Choices.missingTrackingCode)
            }
            if t.tracked {
                t.tracked = false
                t.frozenAt = call.now
                try call.store.update(call.account, [t])
            }
            return nil
        }
        return Envelope(.success, report.json)
    }

    /// A bulk endpoint's answer, in the shape the catalog gives it (`Endpoint.report`): `each`
    /// does one item of the body and returns what the report lists for it (the tracking, for
    /// the endpoints that list refused items apart), and an item it refuses is listed with
    /// the refusal's code and message.
    func bulk(_ call: Call, _ each: (Record) throws -> JSON?) throws -> BulkReport {
        try bulk(call, call.objects, item: { $0 }, each)
    }

    /// The same over items that carry more than the body's object (`item` gives it).
    func bulk<Item>(_ call: Call, _ items: [Item], item: (Item) -> Record, _ each: (Item) throws -> JSON?) throws -> BulkReport {
        guard let shape = call.endpoint.report else {
            throw Refusal(.serverError, "\(call.endpoint.title) has no report shape in the catalog")
        }
        var report = BulkReport(shape)
        for i in items {
            do {
                report.succeeded(item(i), answer: try each(i))
            } catch let refusal as Refusal {
                report.refused(item(i), refusal.envelope.meta)
            }
        }
        return report
    }

    func list(_ call: Call) throws -> Envelope {
        // The query was checked against the catalog (page, limit, status, times, lists).
        let page = try call.int("page") ?? 1
        let limit = try call.int("limit") ?? Catalog.defaultPageSize
        var filter = ListFilter()
        if let s = call.query["status"], !s.isEmpty { filter.status = s }
        filter.createdMin = try call.int("created_at_min")
        filter.createdMax = try call.int("created_at_max")
        filter.updatedMin = try call.int("update_time_min")
        filter.updatedMax = try call.int("update_time_max")
        filter.orderMin = try call.int("order_created_time_min")
        filter.orderMax = try call.int("order_created_time_max")
        for (name, keyPath) in [("numbers", \ListFilter.numbers), ("orders", \ListFilter.orders)] {
            guard let text = call.query[name], !text.isEmpty else { continue }
            // Numbers are kept in upper case; order ids as given. The catalog checked the count.
            filter[keyPath: keyPath] = text.split(separator: ",").map { name == "numbers" ? String($0).trimmingBlanks().uppercased() : String($0).trimmingBlanks() }
        }
        if let a = call.query["archived"] { filter.archived = a == "true" ? true : a == "false" ? false : nil }
        let (total, items) = try call.store.list(call.account, filter, page: page, limit: limit)
        return Envelope(.success, Catalog.listPage.make([
            "page": .int(page), "limit": .int(limit), "total": Choices.totalIsString ? .string(String(total)) : .int(total),
            "count": .int(items.count), "items": .list(items.map { render($0, now: call.now) }),
        ]))
    }

    // MARK: The tracking's shape

    /// The hash of a tracking id that has read all but the time (`NewTracking.idHash`).
    static func trackingIDHash(_ account: String, _ carrier: String, _ number: String) -> SipHash128 {
        trackingIDHash(trackingIDHash(account: account), carrier, number)
    }

    /// The start of the hash of every tracking id of an account: it has read `account|`.
    static func trackingIDHash(account: String) -> SipHash128 {
        var hash = SipHash128(key: trackingIDKey)
        hash.update(account)
        hash.update("|")
        return hash
    }

    /// The key of tracking ids' hashes: any fixed one makes them the same from run to run.
    static let trackingIDKey: (UInt64, UInt64) = (0x6e61_732d_736d_7420, 0x2173_6469_2d78_6f62)

    /// The hash of a tracking id from its account's start (`trackingIDHash(account:)`): it
    /// reads `carrier|number|` on.
    static func trackingIDHash(_ accountHash: SipHash128, _ carrier: String, _ number: String) -> SipHash128 {
        var hash = accountHash
        hash.update(carrier)
        hash.update("|")
        hash.update(number)
        hash.update("|")
        return hash
    }

    /// A tracking's id: 32 hex digits, like the API's, of the SipHash-2-4 (128 bits, a fixed
    /// key) of `account|carrier|number|time` (`hash` has read all but the time; `realtime`'s,
    /// never stored, are those of account `realtime` at time 0, the same for a number each
    /// time). Not SHA-256: an id needs to be the same for the same tracking and to look
    /// opaque, not to resist an attacker, and SipHash made it in a tenth of the instructions.
    static func trackingID(_ hash: SipHash128, _ time: Int) -> String {
        var hash = hash
        hash.update(String(time))
        return hash.hex()
    }

    func route(_ t: StoredTracking) -> Route {
        let carrier = Carriers.carrier(code: t.carrierCode)
        var origin = carrier?.country ?? "CN"
        let n = Array(t.trackingNumber.uppercased().utf8)
        // A UPU S10 number names its origin in its last two letters.
        if n.count == 13, n[0...1].allSatisfy(isLetter), n[2...10].allSatisfy(isDigit), n[11...12].allSatisfy(isLetter) {
            origin = String(decoding: n[11...12], as: UTF8.self)
        }
        return Route(
            carrier: t.carrierCode, number: t.trackingNumber, postal: carrier?.kind == .globalpost, originCountry: origin,
            destination: t.fields["destination_code"]?.stringValue)
    }

    /// The tracking with its status and update time as the simulation has them at `now`.
    func refreshed(_ t: StoredTracking, now: Int) -> StoredTracking {
        var t = t
        refresh(&t, now: now)
        return t
    }

    /// `refreshed` in place: a tracking copied is some dozen reference counts.
    func refresh(_ t: inout StoredTracking, now: Int) {
        let elapsed = (t.frozenAt ?? now) - t.createdAt
        // Before any route's first event (a create, each item of a batch) the answer is known
        // without simulating the route: pending, updated when created.
        let r = elapsed < Route.quietSeconds ? nil : route(t)
        let status = r?.status(after: elapsed).0 ?? .pending
        t.status = t.statusOverride.map { $0 == StatusChange.delivered.rawValue ? "delivered" : "exception" } ?? status.rawValue
        t.updatedAt = t.createdAt + (r?.events(after: elapsed).last?.offset ?? 0)
    }

    /// The short form that create and batch answer with: the fields of the catalog's
    /// `createdTracking` or `batchTracking`, in order. `created` is the tracking's creation
    /// time already written, when the caller has it (a batch's trackings share one).
    func shortForm(_ t: StoredTracking, batch: Bool, created known: (time: Int, iso: String)? = nil) -> Record {
        var placement: ShortForm.Placement?
        return shortForm(t, batch: batch, created: known, placing: &placement)
    }

    /// The same for one of a run of trackings (a batch's): where their given fields go in the
    /// form is found for the first and kept in `placement` for those given the same fields.
    func shortForm(
        _ t: StoredTracking, batch: Bool, created known: (time: Int, iso: String)?, placing placement: inout ShortForm.Placement?
    ) -> Record {
        let form = batch ? Sandbox.batchForm : Sandbox.createdForm
        // A create's times are one moment: written once.
        let created = known.flatMap { $0.time == t.createdAt ? $0.iso : nil } ?? UTC.iso(t.createdAt)
        var values = form.fields.map { field -> JSON in
            switch field {
            case .orderCreateTime: return .int(Choices.unsetOrderCreateTime)
            case .destination, .common(.given), .none: return .null
            case .common(.createdAt): return .string(created)
            case .common(.updatedAt) where t.updatedAt == t.createdAt: return .string(created)
            case .common(let c): return c.value(t)
            }
        }
        // The fields given at create, each put where the form has it: one pass over the
        // tracking's few fields rather than a search of them for each field of the form (from
        // the last, so that a name given twice has its first value, as a search finds).
        let place = form.placement(of: t.fields.keys, reusing: placement)
        placement = place
        for i in t.fields.keys.indices.reversed() {
            for position in place.targets[i] { values[position] = t.fields.values[i] }
        }
        return Record(uniqueKeys: form.names, values: values)
    }

    /// A field of a short form, told from its name once (`batchForm`, `createdForm`)
    /// rather than for every tracking answered.
    enum ShortField {
        // The real batch sample answers 0 for an order time that was not given.
        case orderCreateTime
        /// The short form's name for destination_code.
        case destination
        case common(CommonField)
        case none

        init(_ name: String) {
            switch name {
            case "order_create_time": self = .orderCreateTime
            case "destination": self = .destination
            default: self = CommonField(name).map(ShortField.common) ?? .none
            }
        }
    }

    static let createdForm = ShortForm(Catalog.createdTracking.properties.map(\.name))
    static let batchForm = ShortForm(Catalog.batchTracking.properties.map(\.name))

    /// A short form's field names, what each is, and where each of a tracking's given fields
    /// goes in it (`order_create_time` and `destination_code` too, as the form writes them).
    struct ShortForm {
        let names: [String]
        let fields: [ShortField]
        let positions: [String: [Int]]

        init(_ names: [String]) {
            self.names = names
            fields = names.map(ShortField.init)
            var positions: [String: [Int]] = [:]
            for (i, field) in fields.enumerated() {
                switch field {
                case .orderCreateTime: positions["order_create_time", default: []].append(i)
                case .destination: positions["destination_code", default: []].append(i)
                case .common(.given(let name)): positions[name, default: []].append(i)
                default: break
                }
            }
            self.positions = positions
        }

        /// Where each of a tracking's given fields goes in the form (`positions` of each key).
        struct Placement {
            let keys: [String]
            let targets: [[Int]]
        }

        /// The placement of `keys`: `last` when it is that of the same keys (as a batch's
        /// trackings mostly are, given the same fields), else looked up key by key.
        func placement(of keys: [String], reusing last: Placement?) -> Placement {
            if let last, last.keys == keys { return last }
            return Placement(keys: keys, targets: keys.map { positions[$0] ?? [] })
        }
    }

    /// A field every form of a tracking writes the same way (its identity, times, the fields
    /// given at create); nil for the others.
    func common(_ name: String, _ t: StoredTracking) -> JSON? {
        CommonField(name)?.value(t)
    }

    /// The fields `common` writes.
    enum CommonField {
        case id, trackingNumber, carrierCode, status, createdAt, updatedAt
        /// One of the fields given at create, kept as given.
        case given(String)

        init?(_ name: String) {
            switch name {
            case "id": self = .id
            case "tracking_number": self = .trackingNumber
            case "carrier_code": self = .carrierCode
            case "status": self = .status
            case "created_at": self = .createdAt
            case "updated_at": self = .updatedAt
            case _ where Sandbox.givenFields.contains(name): self = .given(name)
            default: return nil
            }
        }

        func value(_ t: StoredTracking) -> JSON {
            switch self {
            case .id: return .string(t.id)
            case .trackingNumber: return .string(t.trackingNumber)
            case .carrierCode: return .string(t.carrierCode)
            case .status: return .string(t.status)
            case .createdAt: return .string(UTC.iso(t.createdAt))
            case .updatedAt: return .string(UTC.iso(t.updatedAt))
            case .given(let name): return t.fields[name] ?? .null
            }
        }
    }

    /// The keys of a full tracking, in the catalog's order.
    static let trackingKeys = Catalog.trackingObject.sent.map(\.name)

    /// The full tracking object of `GET /trackings/{carrier}/{number}`: the catalog's
    /// `trackingObject`, each field it always has, in its order.
    func renderAfresh(_ t: StoredTracking, now: Int) -> JSON {
        let r = route(t)
        let elapsed = (t.frozenAt ?? now) - t.createdAt
        let happened = r.events(after: elapsed)
        let carrier = Carriers.carrier(code: t.carrierCode)
        let first = happened.first.map { t.createdAt + $0.offset }
        let last = happened.last.map { t.createdAt + $0.offset }
        func info(_ leg: Route.Leg, carrierCode: String, weblink: String) -> JSON {
            let events = happened.filter { $0.leg == leg }
            var milestones = Record()
            for p in Catalog.infoObject.properties {
                switch p.name {
                case "weblink": milestones[p.name] = .string(weblink)
                case "carrier_code": milestones[p.name] = .string(carrierCode)
                case "trackinfo":
                    milestones[p.name] = .list(events.reversed().map { e in
                        var c: Record = [
                            "Date": .string(UTC.dateTime(t.createdAt + e.offset)), "StatusDescription": .string(e.description),
                            "Details": .string(e.location), "checkpoint_status": .string(e.status.rawValue), "substatus": .string(e.substatus.rawValue),
                        ]
                        if let m = e.milestone { c["ItemNode"] = .string(m) }
                        return .record(c)
                    })
                default:
                    // A milestone: when this leg's event reached it; phone and ReferenceNumber: none.
                    milestones[p.name] = happened.first { $0.milestone == p.name && $0.leg == leg }.map { .string(UTC.dateTime(t.createdAt + $0.offset)) } ?? .null
                }
            }
            return .record(milestones)
        }
        func value(_ name: String) -> JSON {
            switch name {
            case "substatus": return t.statusOverride == nil ? (r.status(after: elapsed).1.map { .string($0.rawValue) } ?? .null) : .null
            case "archived": return .bool(t.archived)
            case "track_update": return .bool(t.tracked && t.status != "delivered" && t.status != "expired")
            case "original_country": return .string(Countries.name(r.originCountry))
            case "destination_country": return .string(Countries.name(r.destinationCountry))
            case "itemTimeLength": return first.map { .int(((last ?? $0) - $0) / 86400) } ?? .null
            case "stayTimeLength": return last.map { .int(((t.frozenAt ?? now) - $0) / 86400) } ?? .int(0)
            case "origin_info": return info(.origin, carrierCode: t.carrierCode, weblink: carrier.map { "https:" + $0.homepage } ?? "")
            case "destination_info":
                guard happened.contains(where: { $0.leg == .destination }) else { return .null }
                let local = carrier?.kind == .globalpost ? Carriers.postalOperator(country: r.destinationCountry) ?? carrier : carrier
                return info(.destination, carrierCode: local?.code ?? t.carrierCode, weblink: local.map { "https:" + $0.homepage } ?? "")
            case "lastEvent": return happened.last.map { e in .string("\(e.description),\(e.location),\(UTC.minutes(t.createdAt + e.offset))") } ?? .null
            case "lastUpdateTime": return happened.last.map { e in .string(UTC.minutes(t.createdAt + e.offset)) } ?? .null
            // A field the catalog says every tracking has and the sandbox cannot make is null
            // (Tests/openapi.py fails on it unless the catalog allows null).
            default: return common(name, t) ?? .null
            }
        }
        return .record(Record(uniqueKeys: Sandbox.trackingKeys, values: Sandbox.trackingKeys.map(value)))
    }

    /// `2017/8/27 16:51`, `2017-08-27 16:51:00`, `2017-08-27` as unix seconds (UTC).
    static func parseOrderTime(_ text: String) -> Int? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let date = parts.first else { return nil }
        // Digits only between the separators: `2024/1/-1` is no date (not 2024-01-01).
        func numbers(_ text: Substring, _ separators: Set<Character>) -> [Int] {
            text.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
                .compactMap { $0.allSatisfy(\.isASCIIDigitCharacter) ? Int($0) : nil }
        }
        let ymd = numbers(date, ["/", "-"])
        guard ymd.count == 3, date.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "-" }).count == 3 else { return nil }
        var hms = [0, 0, 0]
        if parts.count > 1 {
            let given = numbers(parts[1], [":"])
            if given.count >= 2 { hms = [given[0], given[1], given.count > 2 ? given[2] : 0] }
        }
        // Checked: a year like 1000000000000000 is no date, not an overflow.
        return UTC.seconds(year: ymd[0], month: ymd[1], day: ymd[2], hour: hms[0], minute: hms[1], second: hms[2])
    }
}

/// A tracking to create, read from a create or batch item: all of it that depends on
/// neither the store nor the account's clock.
struct NewTracking {
    let carrier: String
    let number: String
    let fields: Record
    /// `fields` as the JSON text the store keeps.
    let fieldsText: String
    /// `order_create_time` as unix seconds, when it could be read.
    let orderCreatedAt: Int?
    /// The hash of its id, all read but the time it is created at (`Sandbox.trackingID`).
    let idHash: SipHash128
    /// Its id made for a time before the transaction (`Sandbox.newTrackings`).
    var madeID: (time: Int, id: String)?

    /// Its id if created at `time`.
    func id(at time: Int) -> String {
        if let madeID, madeID.time == time { return madeID.id }
        return Sandbox.trackingID(idHash, time)
    }
}

private extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension StatusChange {
    /// 4, 7 or 8, given as a number or as a string of digits (official samples send `"7"`).
    init?(json: JSON) {
        switch json {
        case .int(let n): self.init(rawValue: n)
        case .string(let s): guard let n = Int(s) else { return nil }; self.init(rawValue: n)
        default: return nil
        }
    }
}

private func isLetter(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
