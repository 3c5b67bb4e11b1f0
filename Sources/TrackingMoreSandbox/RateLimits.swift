import Synchronization
import TrackingMore

/// The API's published rate limits, as the sandbox enforces them when asked (`tms serve
/// --limits live`, or `sandbox limits live` for one account): off by default.
public struct RateLimits: Sendable, Equatable {
    /// Requests a second for each class of endpoint.
    public var perSecond: [Endpoint.RateClass: Double]
    /// How long an account that went over must wait before anything is answered again.
    public var wait: Duration

    public init(perSecond: [Endpoint.RateClass: Double], wait: Duration) {
        self.perSecond = perSecond
        self.wait = wait
    }

    /// The published limits (reference §D): one request a second per account, `GET
    /// /trackings/get` included; `realtime` three a second; after a 429, two minutes.
    public static let live = RateLimits(perSecond: Endpoint.RateClass.liveRates, wait: .seconds(120))
}

/// Per account and class of endpoint, a token bucket that fills at the class's rate and holds
/// one second's worth; an account that finds it empty is refused for `wait`.
final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    struct AccountState {
        var buckets: [Endpoint.RateClass: Bucket] = [:]
        var blockedUntil: ContinuousClock.Instant?
    }

    /// A request arriving a little early (network jitter against a client pacing itself at
    /// exactly the limit) still counts as on time: 5% of one token.
    static let grace = 0.05

    private let accounts = Mutex<[String: AccountState]>([:])
    let now: @Sendable () -> ContinuousClock.Instant

    init(now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.now = now
    }

    /// Nil when the request may be answered (its token is taken); otherwise how long the
    /// account must still wait.
    func admit(_ account: String, _ rateClass: Endpoint.RateClass, _ limits: RateLimits) -> Duration? {
        guard let rate = limits.perSecond[rateClass], rate > 0 else { return nil }
        let now = now()
        return accounts.withLock { states in
            var state = states[account] ?? AccountState()
            defer { states[account] = state }
            if let until = state.blockedUntil {
                if until > now { return until - now }
                state.blockedUntil = nil
            }
            let capacity = max(1, rate)
            var bucket = state.buckets[rateClass] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + seconds(now - bucket.updated) * rate)
            bucket.updated = now
            guard bucket.tokens >= 1 - RateLimiter.grace else {
                state.buckets[rateClass] = bucket
                state.blockedUntil = now + limits.wait
                return limits.wait
            }
            bucket.tokens = max(0, bucket.tokens - 1)
            state.buckets[rateClass] = bucket
            return nil
        }
    }

    /// The 429 answer: the API's meta code, with the wait in whole seconds in the message
    /// (`data` is `[]`, as in every error).
    static func refusal(_ wait: Duration, _ rateClass: Endpoint.RateClass, _ limits: RateLimits) -> Refusal {
        let whole = Int(seconds(wait).rounded(.up))
        let rate = Int(limits.perSecond[rateClass] ?? 1)
        let what = rateClass == .realtime ? "realtime allows \(rate) requests a second" : "the API allows \(rate) request a second per account"
        return Refusal(.tooManyRequests, "Too many requests: \(what); wait \(whole) seconds and retry.")
    }
}

private func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
