import AsyncHTTPClient
import Synchronization
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sends API requests over HTTP with AsyncHTTPClient: to the live API, or to any server that
/// speaks v2 (a `tms serve`).
///
/// Errors are read from `meta.code` even when HTTP says 200. Requests are retried with
/// exponential backoff and jitter after network errors, 429, 5xx and meta 429/500/503 — only
/// those safe to repeat (see `RetryPolicy`) — and paced by a `RateLimiter` when one is given.
public struct HTTPTransport: Transport {
    /// E.g. `https://api.trackingmore.com/v2`, without a trailing slash.
    public let baseURL: String
    /// The base URL's host and port, found once: looking for "://" in a string by Character
    /// cost each request some 24 k instructions.
    let host: String
    let apiKey: String?
    let retry: RetryPolicy
    let limiter: RateLimiter?
    /// Told when tms waits (rate limit, backoff), to show on a terminal: "waiting 14 s: rate limit".
    let onWait: @Sendable (String) -> Void
    /// How long one exchange may take, answer included.
    let requestTimeout: TimeAmount
    let client: HTTPClient
    let hostCheck = HostCheck()

    public static let connectTimeout = TimeAmount.seconds(10)
    public static let requestTimeout = TimeAmount.seconds(90)

    public static func timeout(seconds: Int64) -> TimeAmount { .seconds(seconds) }

    public init(
        baseURL: String, apiKey: String?, retry: RetryPolicy = RetryPolicy(), limiter: RateLimiter? = nil,
        requestTimeout: TimeAmount = HTTPTransport.requestTimeout, client: HTTPClient = HTTPTransport.sharedClient,
        onWait: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.requestTimeout = requestTimeout
        self.client = client
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        host = HTTPTransport.host(of: self.baseURL)
        self.apiKey = apiKey
        self.retry = retry
        self.limiter = limiter
        self.onWait = onWait
    }

    /// The client of every transport: one connection pool per process, as AsyncHTTPClient advises.
    /// A connection that cannot be made fails the attempt at once: `send` retries it with its
    /// own backoff, so a refused connection is said within seconds (the pool's own retrying
    /// went on for the whole connect timeout, 10 s an attempt, 40 s in all).
    ///
    /// Its connections share one event loop of their own (`sharedLoop`), and bulk calls run
    /// their tasks there too (`taskExecutor`): tms keeps at most 32 requests in flight, which
    /// one thread serves, and each request then costs no wake-ups of other threads (with a
    /// loop a core and Swift's own pool, 10,000 creates took some 1,500 context switches).
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: connectTimeout, read: requestTimeout))
        configuration.connectionPool.retryConnectionEstablishment = false
        // No tracing spans: tms has no tracer, and the default one (a no-op) still cost each
        // request a span named by string interpolation, some 14 k instructions.
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: sharedLoop, configuration: configuration)
    }()

    /// Makes the shared client (its event loop's thread) and a request to `baseURL` (its URL
    /// read, its checks made) on another thread, sending nothing: a program that will send
    /// soon does this work beside what comes before its first request (reading a bulk call's
    /// input) instead of after it.
    public static func prepare(baseURL: String) {
        Task.detached(priority: .userInitiated) {
            _ = sharedClient
            _ = try? HTTPClient.Request(url: baseURL + "/trackings/get", method: .GET, headers: ["Accept": "application/json"])
        }
    }

    static let sharedLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    static let sharedExecutor = EventLoopExecutor(sharedLoop)

    public var taskExecutor: (any TaskExecutor)? { client === HTTPTransport.sharedClient ? HTTPTransport.sharedExecutor : nil }

    public func send(_ request: APIRequest) async throws -> Envelope {
        // Refused before any request, and without the key in the message.
        if let apiKey, let problem = keyProblem(apiKey) { throw TransportError.badKey(problem) }
        try hostCheck.check(host, request)
        let endpoint = Catalog.route(request.method, request.path)?.0
        var attempt = 0
        // The request limit bounds the whole exchange, its retries included; only waits the
        // server asked for (429, Retry-After), which are announced, extend it.
        let limit = Duration.nanoseconds(requestTimeout.nanoseconds)
        var deadline = ContinuousClock.now + limit
        while true {
            attempt += 1
            if let limiter, let endpoint {
                let waited = try await limiter.acquire(endpoint.rateClass)
                if waited >= .seconds(1) { onWait("waited \(seconds(waited)): rate limit") }
                deadline = deadline + waited
            }
            let outcome: Outcome
            do {
                outcome = try await once(request, within: min(limit, deadline - ContinuousClock.now))
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                outcome = .failure(error)
            }
            var decision = retry.decide(outcome, endpoint: endpoint, attempt: attempt)
            if case .retry(let delay, _) = decision, !outcome.isRateLimit, ContinuousClock.now + delay >= deadline { decision = .done }
            switch decision {
            case .done:
                switch outcome {
                case .answer(let envelope, _):
                    // A create retried after a lost answer that now says "exists" was created by us.
                    if attempt > 1, envelope.meta.code == MetaCode.trackingExists.rawValue, endpoint?.id == .create,
                        let body = request.body.flatMap({ try? JSON.parse($0) }),
                        let carrier = body["carrier_code"]?.stringValue, let number = body["tracking_number"]?.stringValue
                    {
                        let get = Catalog.endpoint(.get)
                        if case .answer(let found, _) = try await once(APIRequest(method: "GET", path: get.path(["carrier_code": carrier, "tracking_number": number])), within: limit) {
                            return found
                        }
                    }
                    if attempt > 1, envelope.meta.code == MetaCode.trackingDoesNotExist.rawValue, endpoint?.id == .delete {
                        return Envelope(.success, .list([]), message: "Deleted (the retry found it already gone).")
                    }
                    // A batch retried after a lost answer: its items that now "exist" were
                    // created by the attempt whose answer was lost.
                    if attempt > 1, endpoint?.id == .batch { return HTTPTransport.claimingExisting(envelope) }
                    return envelope
                case .failure(let error):
                    throw TransportError.network(request: "\(request.method) \(request.path)", reason: reason(error), attempts: attempt)
                }
            case .retry(let delay, let why):
                if outcome.isRateLimit {
                    if let limiter { await limiter.pause(for: delay) }
                    deadline = deadline + delay
                }
                onWait("waiting \(seconds(delay)): \(why)")
                try await Task.sleep(for: delay)
            }
        }
    }

    /// A batch answer with its 4016 items counted as added: `errors` loses them, `trackings`
    /// gains each (its number and carrier), `added` counts them.
    static func claimingExisting(_ envelope: Envelope) -> Envelope {
        guard case .record(var data) = envelope.data, let errors = data["errors"]?.listValue else { return envelope }
        let exists = MetaCode.trackingExists.rawValue
        let claimed = errors.filter { $0["code"]?.intValue == exists }
        guard !claimed.isEmpty else { return envelope }
        data["errors"] = .list(errors.filter { $0["code"]?.intValue != exists })
        data["trackings"] = .list((data["trackings"]?.listValue ?? []) + claimed.map { e in
            .record(Record([("tracking_number", e["tracking_number"] ?? .null), ("carrier_code", e["carrier_code"] ?? .null)]))
        })
        data["added"] = .int((data["added"]?.intValue ?? 0) + claimed.count)
        var answer = envelope
        answer.data = .record(data)
        if (data["errors"]?.listValue ?? []).isEmpty, answer.meta.code != 200 { answer.meta = Meta(.created) }
        return answer
    }

    enum Outcome: Sendable {
        /// An answer, with the server's Retry-After when it sent one.
        case answer(Envelope, retryAfter: Duration? = nil)
        case failure(any Error)

        var isRateLimit: Bool {
            if case .answer(let e, _) = self { return e.meta.code == 429 }
            return false
        }
    }

    /// A failure in plain words: which host could not be reached and why, never a type name
    /// nor a header value.
    func reason(_ error: any Error) -> String {
        if let e = error as? NIOConnectionError {
            if e.dnsAError != nil || e.dnsAAAAError != nil {
                return "\(host) cannot be reached: its name cannot be resolved (is this machine offline, or the name misspelt?)"
            }
            return unreachable(host, errnoCodes: e.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode })
        }
        // A single address (127.0.0.1) fails with the socket's own error, not a NIOConnectionError.
        if let e = error as? IOError {
            switch e.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH: return unreachable(host, errnoCodes: [e.errnoCode])
            default: return "\(host): the connection failed (\(String(cString: strerror(e.errnoCode)).lowercased()))"
            }
        }
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout: return "\(host) cannot be reached: no connection within \(HTTPTransport.connectTimeout.nanoseconds / 1_000_000_000) s"
            case .deadlineExceeded, .readTimeout: return "\(host) sent no complete answer within \(seconds(.nanoseconds(requestTimeout.nanoseconds)))"
            case .remoteConnectionClosed: return "\(host) closed the connection before answering"
            default: return "\(host): \(e)"
            }
        }
        if error is HTTPParserError { return "\(host) sent an answer cut short or malformed" }
        if error is ExchangeTimeout { return "\(host) sent no complete answer within \(seconds(.nanoseconds(requestTimeout.nanoseconds)))" }
        if error is AnswerTooLarge { return "\(host) sent an answer larger than \(HTTPTransport.answerLimit >> 20) MB" }
        if let e = error as? TruncatedAnswer { return "\(host) sent a truncated answer (\(e.received) of \(e.expected) bytes)" }
        return "\(host): \(error)"
    }

    private func unreachable(_ host: String, errnoCodes codes: [CInt]) -> String {
        if codes.contains(ECONNREFUSED) { return "\(host) cannot be reached: it refused the connection (is the server running?)" }
        if codes.contains(ENETUNREACH) || codes.contains(EHOSTUNREACH) { return "\(host) cannot be reached: no route to it (is this machine offline?)" }
        return "\(host) cannot be reached"
    }

    /// Whether retrying could mend a failure: not when the name does not resolve or there
    /// is no network at all.
    static func isPermanent(_ error: any Error) -> Bool {
        guard let e = error as? NIOConnectionError else { return false }
        if e.dnsAError != nil || e.dnsAAAAError != nil { return true }
        let codes = e.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }
        return !codes.isEmpty && codes.allSatisfy { $0 == ENETUNREACH || $0 == EHOSTUNREACH }
    }

    static func host(of url: String) -> String {
        let rest = url.split(separator: "://", maxSplits: 1).last.map(String.init) ?? url
        return String(rest.prefix { $0 != "/" })
    }

    struct ExchangeTimeout: Error {}
    struct TruncatedAnswer: Error {
        let received: Int
        let expected: Int
    }
    struct AnswerTooLarge: Error {}

    /// The most an answer's body may hold.
    static let answerLimit = 64 << 20

    /// One exchange. HTTP errors with a JSON envelope are that envelope; others become one
    /// with the HTTP status as the meta code, so retries and messages see one shape.
    ///
    /// The client's deadline bounds the whole exchange, answer body included: a server that
    /// drips a byte every few seconds never trips a read timeout, but it does trip this. The
    /// answer is gathered on the connection's event loop (`AnswerCollector`) and handed back
    /// once, whole: no task races a timer, and the body's parts do not each cross threads.
    func once(_ request: APIRequest, within limit: Duration) async throws -> Outcome {
        guard limit > .zero else { throw ExchangeTimeout() }
        var headers = HTTPHeaders()
        if let apiKey { headers.add(name: Catalog.keyHeader, value: apiKey) }
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Accept", value: "application/json")
        let http = try HTTPClient.Request(
            url: baseURL + request.path + request.queryString, method: HTTPMethod(rawValue: request.method), headers: headers,
            body: request.body.map { .bytes($0) })
        let collector = AnswerCollector(limit: HTTPTransport.answerLimit)
        let (seconds, attoseconds) = limit.components
        let task = client.execute(
            request: http, delegate: collector,
            deadline: .now() + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        let answer: AnswerCollector.Answer
        do {
            answer = try await withTaskCancellationHandler { try await task.futureResult.get() } onCancel: { task.cancel() }
        } catch let e as HTTPClientError {
            if e == .cancelled, Task.isCancelled { throw CancellationError() }
            if e == .deadlineExceeded { throw ExchangeTimeout() }
            // The head came and the body stopped short of what it announced.
            if let (received, expected) = collector.cutShort, e == .remoteConnectionClosed || e == .bodyLengthMismatch {
                throw TruncatedAnswer(received: received, expected: expected)
            }
            throw e
        }
        let retryAfter = answer.head.headers.first(name: "Retry-After").flatMap(RetryPolicy.retryAfter)
        let json = answer.body.flatMap { try? JSON.parse($0.readableBytesView) }
        if let json, let envelope = Envelope(json: json) { return .answer(envelope, retryAfter: retryAfter) }
        let status = Int(answer.head.status.code)
        let code = status == 200 ? MetaCode.serverError.rawValue : status
        return .answer(
            Envelope(meta: Meta(code: code, type: answer.head.status.reasonPhrase, message: "HTTP \(status) without an API envelope"), data: .null),
            retryAfter: retryAfter)
    }

    func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return s < 10 ? "\(Double(Int(s * 10)) / 10) s" : "\(Int(s)) s"
    }
}

/// Gathers one answer on the event loop its connection runs on (AsyncHTTPClient calls a
/// delegate there, one call at a time, and completes the task after the last), and hands it
/// back whole.
final class AnswerCollector: HTTPClientResponseDelegate, @unchecked Sendable {
    struct Answer: Sendable {
        let head: HTTPResponseHead
        let body: ByteBuffer?
    }
    let limit: Int
    // Touched only by the delegate's calls, and read after the task has completed.
    private var head: HTTPResponseHead?
    private var body: ByteBuffer?

    init(limit: Int) { self.limit = limit }

    /// Bytes received and bytes announced, when a head announced more than came.
    var cutShort: (received: Int, expected: Int)? {
        guard let head, let expected = head.headers.first(name: "Content-Length").flatMap({ Int($0) }) else { return nil }
        let received = body?.readableBytes ?? 0
        return received < expected ? (received, expected) : nil
    }

    func didReceiveHead(task: HTTPClient.Task<Answer>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        self.head = head
        if let announced = head.headers.first(name: "Content-Length").flatMap({ Int($0) }), announced > limit {
            return task.eventLoop.makeFailedFuture(HTTPTransport.AnswerTooLarge())
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Answer>, _ part: ByteBuffer) -> EventLoopFuture<Void> {
        if body == nil {
            body = part
        } else {
            body!.writeImmutableBuffer(part)
        }
        guard body!.readableBytes <= limit else { return task.eventLoop.makeFailedFuture(HTTPTransport.AnswerTooLarge()) }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Answer>) throws -> Answer {
        guard let head else { throw HTTPClientError.remoteConnectionClosed }
        return Answer(head: head, body: body)
    }
}

/// Looks the server's name up once, before the first request: when it does not resolve (no
/// network, a misspelt name) that is said at once, instead of after the HTTP client has retried
/// connecting for its whole connect timeout.
final class HostCheck: Sendable {
    private let resolved = Mutex(false)

    func check(_ hostAndPort: String, _ request: APIRequest) throws {
        guard !resolved.withLock({ $0 }) else { return }
        var host = hostAndPort
        if host.hasPrefix("[") {
            host = String(host.dropFirst().prefix { $0 != "]" })
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        if let result { freeaddrinfo(result) }
        if status == EAI_NONAME || status == EAI_FAIL {
            throw TransportError.network(
                request: "\(request.method) \(request.path)",
                reason: "\(host) cannot be reached: its name cannot be resolved (is this machine offline, or the name misspelt?)", attempts: 1)
        }
        // Other answers (a temporary failure) are left to the client and its retries.
        if status == 0 { resolved.withLock { $0 = true } }
    }
}

/// A request that could not be carried out.
public enum TransportError: Error, Sendable, CustomStringConvertible {
    case network(request: String, reason: String, attempts: Int)
    /// `--read-only` (or a host's capability) stopped a write.
    case writeRefused(request: String, reason: String)
    /// The key cannot be sent (see `keyProblem`); the reason never includes it.
    case badKey(String)

    public var description: String {
        switch self {
        case .badKey(let problem):
            return problem
        case .network(_, let reason, let attempts):
            // The request is named by whoever reports this (`GET /carriers failed: ...`).
            return reason + (attempts > 1 ? " (after \(attempts) attempts)" : "")
        case .writeRefused(let request, let reason):
            return "\(request) was not sent: \(reason)"
        }
    }
}

/// When to try a request again, and how long to wait first.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    /// The first backoff; it doubles each attempt, with up to 50% jitter.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// How long the API asks to wait after a 429: two minutes.
    public var rateLimitPause: Duration
    /// The longest wait a server's Retry-After may ask for; a longer one is cut to this.
    public static let retryAfterCap = Duration.seconds(120)

    /// Seconds from a Retry-After header (only the delta-seconds form), capped.
    static func retryAfter(_ text: String) -> Duration? {
        guard let n = Int(text.trimmingBlanks()), n >= 0 else { return nil }
        return min(.seconds(n), retryAfterCap)
    }

    public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30), rateLimitPause: Duration = .seconds(120)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.rateLimitPause = rateLimitPause
    }

    enum Decision {
        case done
        case retry(Duration, String)
    }

    /// Whether a request may be sent again after a failure whose effect is unknown: the
    /// catalog says (`Endpoint.safeToRetry`); an unknown request may not.
    static func isSafeToRepeat(_ endpoint: Endpoint?) -> Bool {
        endpoint?.safeToRetry ?? false
    }

    func decide(_ outcome: HTTPTransport.Outcome, endpoint: Endpoint?, attempt: Int) -> Decision {
        guard attempt < maxAttempts else { return .done }
        let why: String
        let repeatable: Bool
        switch outcome {
        case .answer(let envelope, let retryAfter):
            switch envelope.meta.code {
            case 429:
                // Not processed: safe for every request, after the API's pause (or the
                // server's Retry-After, capped).
                if let retryAfter { return .retry(retryAfter, "rate limit (429): the server asks for \(Int(retryAfter.seconds)) s") }
                return .retry(rateLimitPause, "rate limit (429): the API asks for two minutes")
            case 503:
                if let retryAfter { return .retry(retryAfter, "service unavailable (503): the server asks for \(Int(retryAfter.seconds)) s") }
                why = "service unavailable (503)"
                repeatable = true
            case 500, 502, 504:
                why = "server error (\(envelope.meta.code))"
                repeatable = Self.isSafeToRepeat(endpoint)
            default:
                return .done
            }
        case .failure(let error):
            if HTTPTransport.isPermanent(error) { return .done }
            why = "network error"
            repeatable = Self.isSafeToRepeat(endpoint)
        }
        guard repeatable else { return .done }
        return .retry(backoff(attempt), why)
    }

    func backoff(_ attempt: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<attempt { delay = min(maxDelay, delay * 2) }
        let jitter = Double.random(in: 0.5...1.0)
        return min(maxDelay, delay * jitter)
    }
}

/// Paces requests by a token bucket per endpoint class, at the API's published rates (1
/// request a second in general, 3 for realtime), and holds every class back after a 429.
public actor RateLimiter {
    struct Bucket {
        var rate: Double
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private var buckets: [Endpoint.RateClass: Bucket] = [:]
    private var pausedUntil: ContinuousClock.Instant?

    /// The live API's limits.
    public static let liveRates = Endpoint.RateClass.liveRates

    public init(rates: [Endpoint.RateClass: Double]) {
        let now = ContinuousClock.now
        for (c, r) in rates where r > 0 { buckets[c] = Bucket(rate: r, tokens: 1, updated: now) }
    }

    /// Waits until a request of this class may go; returns how long it waited.
    public func acquire(_ rateClass: Endpoint.RateClass) async throws -> Duration {
        let start = ContinuousClock.now
        while true {
            let now = ContinuousClock.now
            if let until = pausedUntil, until > now {
                try await Task.sleep(until: until, clock: .continuous)
                continue
            }
            guard var b = buckets[rateClass] else { return now - start }
            b.tokens = min(1, b.tokens + (now - b.updated).seconds * b.rate)
            b.updated = now
            if b.tokens >= 1 {
                b.tokens -= 1
                buckets[rateClass] = b
                return now - start
            }
            buckets[rateClass] = b
            try await Task.sleep(for: .seconds((1 - b.tokens) / b.rate))
        }
    }

    /// After a 429: no request of any class for this long.
    public func pause(for duration: Duration) {
        let until = ContinuousClock.now + duration
        if pausedUntil.map({ $0 < until }) ?? true { pausedUntil = until }
    }

    /// One limiter per API and key in a process, so that interpreters sharing a key share the
    /// API's limit. This registry is the process's one piece of shared state, on purpose; the
    /// key is kept only as a hash.
    public static func shared(baseURL: String, apiKey: String, rates: [Endpoint.RateClass: Double]) -> RateLimiter {
        let id = baseURL + "|" + String(apiKey.hashValue) + String(apiKey.utf8.count)
        return registry.withLock { limiters in
            if let l = limiters[id] { return l }
            let l = RateLimiter(rates: rates)
            limiters[id] = l
            return l
        }
    }

    private static let registry = Mutex<[String: RateLimiter]>([:])
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

