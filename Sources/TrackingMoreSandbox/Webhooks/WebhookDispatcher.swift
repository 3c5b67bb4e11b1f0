import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// Sends webhooks off the request path. A request that changes statuses only queues its
/// events (in order, under a lock) and returns; one task per account and URL posts them in
/// that order. A failed attempt is retried on the schedule of `WebhookSettings` in a task of
/// its own, so one failing receiver holds up neither the API nor the events after it.
public final class WebhookDispatcher: Sendable {
    /// An event waiting to be sent to one URL.
    struct Pending: Sendable {
        var event: Int
        var account: String
        var url: String
        var tracking: JSON
        var email: String
        var attempt: Int
        /// The sandbox clock at which the next attempt is due (the published schedule in
        /// virtual seconds): `sandbox advance` past it sends it at once.
        var dueClock: Int
    }

    struct State {
        var queues: [String: [Pending]] = [:]
        /// Queues whose task is running.
        var running: Set<String> = []
        /// Retries waiting for their time, by event and URL.
        var waiting: [String: Pending] = [:]
        /// Events queued or being sent, per account (retries waiting for their time are not).
        var busy: [String: Int] = [:]

        mutating func started(_ account: String) { busy[account, default: 0] += 1 }

        mutating func finished(_ account: String) {
            let left = (busy[account] ?? 1) - 1
            busy[account] = left > 0 ? left : nil
        }
        var nextEvent = 1
        var nextAttempt = 1
        var log: [WebhookDelivery] = []
        var observers: [@Sendable (WebhookDelivery) -> Void] = []
    }

    let settings: WebhookSettings
    private let state = Mutex(State())

    /// The client of every dispatcher. A receiver that refuses the connection fails the
    /// attempt at once (the retry schedule is the sandbox's, not the pool's), and redirects
    /// are not followed, so a receiver cannot send the sandbox to a host it may not reach.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(30)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    init(settings: WebhookSettings) {
        self.settings = settings
    }

    /// Calls `observer` after every attempt (tms serve logs them; trace prints them).
    public func observe(_ observer: @escaping @Sendable (WebhookDelivery) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }

    /// The attempts made for an account, oldest first, after attempt number `after`.
    public func deliveries(account: String, after: Int = 0) -> [WebhookDelivery] {
        state.withLock { $0.log.filter { $0.account == account && $0.id > after } }
    }

    /// The number the next attempt will have: deliveries after `mark() - 1` are new.
    public func mark() -> Int { state.withLock { $0.nextAttempt } }

    /// Queues one event per tracking for each URL that wants its status. Never waits.
    func enqueue(account: String, email: String, hooks: [StoredWebhook], trackings: [JSON], clock: Int) {
        var start: [String] = []
        state.withLock { s in
            for tracking in trackings {
                let status = tracking["status"]?.stringValue ?? ""
                let wanted = hooks.filter { $0.wants(status) }
                guard !wanted.isEmpty else { continue }
                let event = s.nextEvent
                s.nextEvent += 1
                for hook in wanted {
                    s.started(account)
                    let queue = account + " " + hook.url
                    s.queues[queue, default: []].append(
                        Pending(event: event, account: account, url: hook.url, tracking: tracking, email: email, attempt: 1, dueClock: clock))
                    if !s.running.contains(queue) {
                        s.running.insert(queue)
                        start.append(queue)
                    }
                }
            }
        }
        for queue in start {
            Task { await self.work(queue) }
        }
    }

    /// Sends a queue's events one after another until it is empty.
    private func work(_ queue: String) async {
        while let next = state.withLock({ s -> Pending? in
            guard var list = s.queues[queue], !list.isEmpty else {
                s.queues[queue] = nil
                s.running.remove(queue)
                return nil
            }
            let first = list.removeFirst()
            s.queues[queue] = list
            return first
        }) {
            await attempt(next)
        }
    }

    /// The sandbox clock of `account` moved to `clock`: retries due by then go now.
    func clockMoved(account: String, to clock: Int) {
        let due = state.withLock { s -> [Pending] in
            let keys = s.waiting.filter { $0.value.account == account && $0.value.dueClock <= clock }.map(\.key)
            return keys.compactMap { key in
                guard let p = s.waiting.removeValue(forKey: key) else { return nil }
                s.started(account)
                return p
            }
        }
        for p in due.sorted(by: { $0.event < $1.event }) {
            Task { await self.attempt(p) }
        }
    }

    /// Waits (up to `timeout`) until no event is queued or being sent, for one account or
    /// for all; retries waiting for their time are not waited for. A command-line tms calls
    /// it before it exits; `trace` before it shows what a write sent.
    public func drain(account: String? = nil, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let busy = state.withLock { s in account.map { s.busy[$0] != nil } ?? !s.busy.isEmpty }
            if !busy { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// One POST of an event counted as busy (by `enqueue`, or when its retry came due).
    private func attempt(_ p: Pending) async {
        let timeStr = String(Int(time(nil)))
        let webhook = Webhook(tracking: p.tracking, timeStr: timeStr, email: p.email)
        let body = webhook.json.bytes
        var request = HTTPClientRequest(url: p.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "tms-sandbox-webhooks")
        request.body = .bytes(ByteBuffer(bytes: body))
        let started = ContinuousClock.now
        var status: Int?
        var answer = ""
        var failure: String?
        do {
            let response = try await WebhookDispatcher.client.execute(request, timeout: WebhookDispatcher.timeAmount(settings.timeout))
            status = Int(response.status.code)
            let bytes = try await response.body.collect(upTo: 64 * 1024)
            answer = String(String(buffer: bytes).prefix(500))
        } catch {
            failure = status == nil ? WebhookDispatcher.describe(error) : nil
        }
        let elapsed = (ContinuousClock.now - started).components
        let ok = status.map { (200...299).contains($0) } ?? false
        let last = p.attempt >= settings.attempts
        let factor = 1 << min(p.attempt - 1, 30)
        let delay = settings.retryBase * factor
        let outcome: WebhookDelivery.Outcome = ok ? .delivered : last ? .failed : .retrying
        let delayComponents = delay.components
        let (delivery, observers) = state.withLock { s -> (WebhookDelivery, [@Sendable (WebhookDelivery) -> Void]) in
            let d = WebhookDelivery(
                id: s.nextAttempt, event: p.event, account: p.account, url: p.url,
                carrierCode: p.tracking["carrier_code"]?.stringValue ?? "", trackingNumber: p.tracking["tracking_number"]?.stringValue ?? "",
                status: p.tracking["status"]?.stringValue ?? "", attempt: p.attempt, timeStr: timeStr, signature: webhook.signature,
                body: webhook.json.compactText, answerStatus: status, answer: answer, error: failure, outcome: outcome,
                nextAttemptIn: outcome == .retrying ? Double(delayComponents.seconds) + Double(delayComponents.attoseconds) / 1e18 : nil,
                milliseconds: Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000))
            s.nextAttempt += 1
            s.log.append(d)
            if s.log.count > settings.logLimit { s.log.removeFirst(s.log.count - settings.logLimit) }
            s.finished(p.account)
            if outcome == .retrying {
                var next = p
                next.attempt += 1
                next.dueClock = p.dueClock + WebhookSettings.publishedBase * factor
                s.waiting["\(p.event) \(p.url)"] = next
            }
            return (d, s.observers)
        }
        for o in observers { o(delivery) }
        if outcome == .retrying {
            let key = "\(p.event) \(p.url)"
            Task {
                try? await Task.sleep(for: delay)
                let due = self.state.withLock { s -> Pending? in
                    guard let p = s.waiting.removeValue(forKey: key) else { return nil }
                    s.started(p.account)
                    return p
                }
                if let due { await self.attempt(due) }
            }
        }
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        let c = d.components
        return .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
    }

    /// A connection error in a few words.
    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") { return "timed out" }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return String(text.prefix(120))
    }
}
