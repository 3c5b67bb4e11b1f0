import TrackingMore

extension Sandbox {
    func userinfo(_ call: Call) throws -> Envelope {
        let a = try call.store.account(call.account)
        return Envelope(.success, Catalog.userInfo.make([
            "email": .string(Sandbox.accountEmail), "regtime": .string(String(a.registeredAt)), "phone": "",
            "money": 0, "track_number": .int(a.quota),
        ]))
    }

    func statusnumber(_ call: Call) throws -> Envelope {
        let createdMin = try call.int("created_at_min"), createdMax = try call.int("created_at_max")
        let orderMin = try call.int("order_created_time_min"), orderMax = try call.int("order_created_time_max")
        var counts: [String: Int] = [:]
        for t in try call.store.all(call.account) {
            if let m = createdMin, t.createdAt < m { continue }
            if let m = createdMax, t.createdAt > m { continue }
            if orderMin != nil || orderMax != nil {
                guard let o = t.orderCreatedAt else { continue }
                if let m = orderMin, o < m { continue }
                if let m = orderMax, o > m { continue }
            }
            counts[t.status, default: 0] += 1
        }
        // Every status, 0 where none is in it.
        return Envelope(.success, Catalog.statusCounts.make(pairs: TrackingStatus.allCases.map { ($0.rawValue, .int(counts[$0.rawValue] ?? 0)) }))
    }

    // MARK: Sandbox controls

    func advance(_ call: Call) throws -> Envelope {
        guard let seconds = call.object["seconds"]?.intValue, seconds >= 0, seconds <= 10 * 365 * 86400 else {
            throw Refusal(.badRequest, "seconds must be an integer from 0 to ten years.")
        }
        let (now, overflow) = call.now.addingReportingOverflow(seconds)
        guard !overflow, now <= UTC.latest else { throw Refusal(.badRequest, "the clock cannot move past the year 9999.") }
        try call.store.setClock(call.account, to: now)
        // Every tracking the clock moved, written back in one transaction.
        let changed = try call.store.all(call.account).compactMap { t -> StoredTracking? in
            let r = refreshed(t, now: now)
            return r == t ? nil : r
        }
        try call.store.update(call.account, changed)
        return Envelope(.success, Catalog.advanceResult.make(["now": .string(UTC.iso(now)), "changed": .int(changed.count)]))
    }

    /// `{"limits": "live"}` makes the account answer as the live API does when it is called
    /// too fast (429 and a wait); `"off"` (the start) never limits it.
    func setLimits(_ call: Call) throws -> Envelope {
        let setting = try call.string(call.object, "limits")
        guard setting == "live" || setting == "off" else { throw Refusal(.badRequest, "limits must be \"live\" or \"off\".") }
        var a = try call.store.account(call.account)
        a.liveLimits = setting == "live"
        try call.store.save(call.account, a)
        let effective = limits != nil ? "live" : setting ?? "off"
        let note: JSON? = limits != nil ? "this server limits every account (tms serve --limits live)" : nil
        return Envelope(.success, Catalog.limitsResult.make(["limits": .string(effective), "note": note]))
    }

    func reset(_ call: Call) throws -> Envelope {
        try call.store.reset(call.account)
        return Envelope(.success, Catalog.resetResult.make(["now": .string(UTC.iso(try call.store.account(call.account).clock))]))
    }

    /// Creates `count` trackings with valid-looking numbers across carriers, created over the
    /// last 60 days, so that every status appears.
    func seed(_ call: Call) throws -> Envelope {
        guard let count = call.object["count"]?.intValue, (1...10_000).contains(count) else {
            throw Refusal(.badRequest, "count must be from 1 to 10000.")
        }
        let carriers = Sandbox.seedCarriers.compactMap { Carriers.carrier(code: $0) }
        let account = try call.store.account(call.account)
        // The same seed in every account, so a lesson gives every student the same trackings.
        // `part` (tms seeds a large amount in parts, so Ctrl-C can stop it) gives each part
        // numbers of its own.
        let part = UInt64(max(0, call.object["part"]?.intValue ?? 0))
        var rng = SplitMix(seed: fnv1a(Sandbox.localAccount) &+ UInt64(account.clock) &+ UInt64(count) &+ part &* 0x9E37_79B9)
        // Seeded trackings are created like any others: each uses one quota, and the seed
        // stops, saying so, where the quota runs out.
        try call.requireQuota(Choices.createCost)
        let affordable = min(count, account.quota / Choices.createCost)
        var added = 0
        var attempts = 0
        let titles = ["Running shoes", "Laptop stand", "Phone case", "Wool scarf", "Headphones", "Coffee grinder", "Kids' books", "Desk lamp"]
        while added < affordable && attempts < count * 3 {
            attempts += 1
            let carrier = carriers[Int(rng.next() % UInt64(carriers.count))]
            let number = Sandbox.sampleNumber(for: carrier, &rng)
            let created = call.now - Int(rng.next() % (60 * 86400))
            var fields: Record = [
                "title": .string(titles[Int(rng.next() % UInt64(titles.count))]),
                "order_id": .string("SO-\(10000 + Int(rng.next() % 90000))"),
                "customer_email": .string("customer\(Int(rng.next() % 1000))@example.org"),
            ]
            fields["destination_code"] = .string(Route.destinations[Int(rng.next() % UInt64(Route.destinations.count))])
            var t = StoredTracking(
                id: Sandbox.trackingID(Sandbox.trackingIDHash(call.account, carrier.code, number), created),
                carrierCode: carrier.code, trackingNumber: number,
                createdAt: created, fields: fields, archived: false, statusOverride: nil, tracked: true, frozenAt: nil,
                status: "pending", updatedAt: created, orderCreatedAt: nil)
            t = refreshed(t, now: call.now)
            if try call.store.insert(call.account, t) {
                try call.charge(Choices.createCost)
                added += 1
            }
        }
        let left = try call.store.account(call.account).quota
        // Where the quota ran out (or is now used up) the answer says so: no later seed can add.
        guard affordable < count || left == 0 else { return Envelope(.success, Catalog.seedResult.make(["added": .int(added)])) }
        return Envelope(
            .success, Catalog.seedResult.make(["added": .int(added), "quota_left": .int(left)]),
            message: "Added \(added) of \(count): the account's quota \(affordable < count ? "ran out" : "is used up") (tms keys quota NAME N gives more).")
    }

    static let seedCarriers = [
        "ups", "fedex", "dhl", "usps", "china-post", "china-ems", "sf-express", "yunexpress", "4px", "royal-mail",
        "deutsche-post", "canada-post", "australia-post", "japan-post", "sto", "yto", "zto",
    ]

    /// A number in the carrier's usual format.
    static func sampleNumber(for carrier: Carrier, _ rng: inout SplitMix) -> String {
        func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(rng.next() % 10)) }) }
        switch carrier.code {
        case "ups":
            let alphabet = Array("0123456789ABCDEFGHJKLMNPRSTVWXYZ")
            return "1Z" + String((0..<16).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        case "fedex": return "7" + digits(11)
        case "dhl": return "1" + digits(9)
        case "usps": return "9400" + digits(18)
        case "sf-express": return "SF" + digits(12)
        case "yunexpress": return "YT" + digits(16)
        case "4px": return "4PX" + digits(13)
        case "sto": return "77" + digits(11)
        case "yto": return "YT" + digits(13)
        case "zto": return "7" + digits(11)
        default:
            // A UPU S10 number with a valid check digit and the operator's country.
            let body = digits(8)
            let check = Carriers.s10CheckDigit(serial: body.utf8.map { Int($0 - UInt8(ascii: "0")) })
            let prefix = carrier.code == "china-ems" ? "E" : "R"
            let letters = Array("ABCDEFGHJKLMNPRSTUVWXYZ")
            return prefix + String(letters[Int(rng.next() % UInt64(letters.count))]) + body + String(check) + carrier.country
        }
    }
}
