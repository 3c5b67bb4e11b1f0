import TrackingMore

extension Sandbox {
    /// The registered email of every sandbox account: `userinfo` shows it, and it keys the
    /// webhooks' signatures.
    public static let accountEmail = "sandbox@example.org"

    /// The endpoints whose answer may change a tracking's status or carrier.
    static let movingEndpoints: Set<Endpoint.ID> = [.put, .updatemore, .updateCarrier, .sandboxAdvance, .sandboxTrigger]

    /// Webhooks a request fired: sent by `send` once the request's writes are stored, so a
    /// receiver that reads the tracking back sees the change.
    struct FiredWebhooks {
        let account: String
        let hooks: [StoredWebhook]
        /// Each event's tracking, in the order the changes happened.
        let trackings: [JSON]
        let clock: Int
        let clockMoved: Bool

        func send(through dispatcher: WebhookDispatcher) {
            dispatcher.enqueue(account: account, email: Sandbox.accountEmail, hooks: hooks, trackings: trackings, clock: clock)
            if clockMoved { dispatcher.clockMoved(account: account, to: clock) }
        }
    }

    /// Answers a call and collects the webhooks of the status changes it made. With no URL
    /// registered this is `handle` alone; otherwise the account's trackings are compared
    /// before and after, so no handler needs to report its changes.
    func handleCollectingWebhooks(_ call: Call) throws -> (Envelope, FiredWebhooks?) {
        guard Sandbox.movingEndpoints.contains(call.endpoint.id) else { return (try handle(call), nil) }
        let hooks = try call.store.webhooks(call.account)
        guard !hooks.isEmpty else { return (try handle(call), nil) }
        var before: [String: StoredTracking] = [:]
        for t in try call.store.all(call.account) { before[t.id] = t }
        let envelope = try handle(call)
        let clock = try call.store.account(call.account).clock
        var events: [(time: Int, number: String, tracking: JSON)] = []
        if call.endpoint.id == .sandboxTrigger {
            // trigger always fires, even when the tracking stood at that status already.
            if envelope.meta.code == 200 { events.append((clock, envelope.data["tracking_number"]?.stringValue ?? "", envelope.data)) }
        } else {
            for t in try call.store.all(call.account) {
                guard let old = before[t.id], old.status != t.status || old.carrierCode != t.carrierCode else { continue }
                if call.endpoint.id == .sandboxAdvance {
                    events += transitions(old, t, from: call.now, to: clock).map { ($0.time, t.trackingNumber, $0.tracking) }
                } else {
                    events.append((clock, t.trackingNumber, render(t, now: clock)))
                }
            }
        }
        // In the order they happened; trackings that changed at one moment by number.
        events.sort { ($0.time, $0.number) < ($1.time, $1.number) }
        let fired = FiredWebhooks(
            account: call.account, hooks: hooks, trackings: events.map(\.tracking), clock: clock,
            clockMoved: call.endpoint.id == .sandboxAdvance)
        return (envelope, fired)
    }

    /// Every status a tracking passed through while the clock moved from `start` to `end`,
    /// each as the tracking stood at that moment, so a parcel that went from transit to
    /// delivered in one `advance` sends pickup and delivered as the real service would have.
    func transitions(_ old: StoredTracking, _ new: StoredTracking, from start: Int, to end: Int) -> [(time: Int, tracking: JSON)] {
        var out: [(time: Int, tracking: JSON)] = []
        var last = old.status
        if new.statusOverride == nil, new.frozenAt == nil, new.carrierCode == old.carrierCode {
            let r = route(new)
            // The moments a status can change: each checkpoint, the carrier giving up on a
            // number it never found (2 hours, as Route.status says), and expiry.
            let moments = (r.events.map { new.createdAt + $0.offset } + [new.createdAt + 2 * 3600, new.createdAt + r.expiryDays * 86400 + 1]).sorted()
            for at in moments {
                guard at > start, at <= end else { continue }
                let then = refreshed(new, now: at)
                if then.status != last {
                    out.append((at, render(then, now: at)))
                    last = then.status
                }
            }
        }
        if last != new.status { out.append((end, render(new, now: end))) }
        return out
    }

    /// `GET /sandbox/webhooks/deliveries?wait=S` first waits (up to S seconds, at most 10)
    /// until the account's queued webhooks are sent, so `trace` can show what a write sent.
    func waitForWebhooks(_ endpoint: Endpoint, _ request: APIRequest, account: String) async {
        guard endpoint.id == .sandboxDeliveries, let text = request.query.last(where: { $0.name == "wait" })?.value,
            let seconds = Double(text), seconds > 0
        else { return }
        await webhooks.drain(account: account, timeout: .milliseconds(Int(min(seconds, 10) * 1000)))
    }

    // MARK: The controls

    func webhookControl(_ call: Call) throws -> Envelope {
        switch call.endpoint.id {
        case .sandboxWebhooks:
            return Envelope(.success, .list(try call.store.webhooks(call.account).map(\.json)))
        case .sandboxWebhookAdd:
            guard let url = try call.string(call.object, "url"), !url.isEmpty else { throw Refusal(.badRequest, "url is required.") }
            if let reason = webhooks.settings.refusal(for: url) { throw Refusal(.badRequest, reason.prefix(1).uppercased() + reason.dropFirst() + ".") }
            let statuses = try webhookStatuses(call.object["statuses"])
            let existing = try call.store.webhooks(call.account)
            guard existing.contains(where: { $0.url == url }) || existing.count < Catalog.webhookLimit else {
                throw Refusal(.badRequest, "An account has up to \(Catalog.webhookLimit) webhook URLs; remove one first (sandbox webhook remove URL).")
            }
            try call.store.saveWebhook(call.account, StoredWebhook(url: url, statuses: statuses, createdAt: call.now))
            return Envelope(.success, .list(try call.store.webhooks(call.account).map(\.json)))
        case .sandboxWebhookRemove:
            guard let url = try call.string(call.object, "url"), !url.isEmpty else { throw Refusal(.badRequest, "url is required.") }
            guard try call.store.removeWebhook(call.account, url: url) else {
                throw Refusal(.badRequest, "No webhook is registered for \(url).")
            }
            return Envelope(.success, .list(try call.store.webhooks(call.account).map(\.json)))
        case .sandboxDeliveries:
            let after = try call.int("after") ?? 0
            if let wait = call.query["wait"], !wait.isEmpty, Double(wait).map({ $0.isFinite && $0 >= 0 }) != true {
                throw Refusal(.badRequest, "wait must be a number of seconds, not '\(wait)'.")
            }
            return Envelope(.success, .list(webhooks.deliveries(account: call.account, after: after).map(\.json)))
        case .sandboxTrigger:
            return try trigger(call)
        default:
            throw Refusal(.notFound)
        }
    }

    /// `["delivered", "exception"]`, `"delivered,exception"` or nothing (every status).
    func webhookStatuses(_ value: JSON?) throws -> [String] {
        let words: [String]
        switch value {
        case nil, .null?: return []
        case .string(let s)?: words = s.split(separator: ",").map { String($0).trimmingBlanks() }.filter { !$0.isEmpty }
        case .list(let items)?:
            words = try items.map { item in
                guard let s = item.stringValue else { throw Refusal(.badRequest, "statuses must be strings, not \(item.kindName).") }
                return s
            }
        case let other?: throw Refusal(.badRequest, "statuses must be a list of status words, not \(other.kindName).")
        }
        for w in words where TrackingStatus(rawValue: w) == nil {
            throw Refusal(.statusInvalid, "'\(w)' is not a status; use \(TrackingStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }

    /// Moves one tracking (created if it is new) to `status` now. Where its simulated route
    /// has a checkpoint with that status, the route is moved so that checkpoint happens now;
    /// delivered and exception off the route are set as `put status=4|7` sets them.
    func trigger(_ call: Call) throws -> Envelope {
        let item = call.object
        guard let word = try call.string(item, "status"), let target = TrackingStatus(rawValue: word) else {
            throw Refusal(.statusInvalid, "status must be one of \(TrackingStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let (carrier, number) = try call.identify(item)
        var plain = item
        plain["status"] = nil
        var t = try call.store.tracking(call.account, carrier: carrier, number: number) ?? insert(plain, call)
        let r = route(t)
        t.tracked = true
        t.frozenAt = nil
        t.statusOverride = nil
        if target == .pending {
            t.createdAt = call.now
        } else if let e = r.events.first(where: { $0.status == target }) {
            t.createdAt = call.now - e.offset
        } else if target == .expired, r.events.last.map({ ![.delivered, .exception, .undelivered].contains($0.status) }) ?? true {
            t.createdAt = call.now - r.expiryDays * 86400 - 1
        } else if target == .delivered || target == .exception {
            t.statusOverride = target == .delivered ? StatusChange.delivered.rawValue : StatusChange.exception.rawValue
        } else {
            let path = r.events.map(\.status.rawValue).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            throw Refusal(.statusInvalid, "This parcel's simulated route never reaches \(target.rawValue): it goes \((["pending"] + path).joined(separator: " → ")).")
        }
        try call.store.setCreatedAt(call.account, t, to: t.createdAt)
        t = refreshed(t, now: call.now)
        try call.store.update(call.account, [t])
        return Envelope(.success, render(t, now: call.now))
    }
}
