import Crypto
import Synchronization
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// A faithful emulator of the TrackingMore v2 API.
///
/// It receives exactly what HTTP would carry (method, path, query, body bytes) and answers
/// with the API's envelope and meta codes, so the in-process sandbox and `tms serve` behave
/// the same. State lives in a `SandboxStore`, one account per API key; parcels move along
/// simulated routes on each account's virtual clock.
public final class Sandbox: Sendable {
    let store: any SandboxStore
    /// Keys hashed once each; whether one is active is read in each request's own transaction.
    let keyHashes = KeyCache()
    /// Trackings as last rendered (`render`).
    let rendered = RenderCache()
    /// Sends the webhooks that status changes fire (Sandbox+Webhooks.swift).
    public let webhooks: WebhookDispatcher
    /// The rate limits every account gets (`tms serve --limits live`); nil leaves it to each
    /// account's own setting (`sandbox limits live`), which is off at first.
    let limits: RateLimits?
    let limiter: RateLimiter
    /// Runs the write transactions, which wait for each other (SQLite has one writer), on a
    /// thread of their own: a request waiting for the writer never holds one of Swift's
    /// cooperative threads, which go on reading and answering other requests meanwhile.
    let writer = BlockingQueue(label: "tms.sandbox.writes")
    /// Each account's clock as its last request read it: the time a create's id is made for
    /// before the transaction (`Sandbox.newTrackings`), used when the clock is still there.
    let clocks = Mutex<[String: Int]>([:])

    /// The account of the in-process sandbox, used when no key is given.
    public static let localAccount = "local"

    public convenience init(store: any SandboxStore, limits: RateLimits? = nil, webhooks: WebhookSettings = WebhookSettings()) {
        self.init(store: store, limits: limits, limiter: RateLimiter(), webhooks: webhooks)
    }

    init(store: any SandboxStore, limits: RateLimits?, limiter: RateLimiter, webhooks: WebhookSettings = WebhookSettings()) {
        self.store = store
        self.limits = limits
        self.limiter = limiter
        self.webhooks = WebhookDispatcher(settings: webhooks)
    }

    /// A sandbox on the SQLite database at `path` (`:memory:` for one in memory).
    public convenience init(path: String, limits: RateLimits? = nil, webhooks: WebhookSettings = WebhookSettings()) throws {
        self.init(store: try SQLiteStore(path: path), limits: limits, webhooks: webhooks)
    }

    /// Answers one request. With `apiKey` nil the request uses the local account (the
    /// in-process sandbox); otherwise the key must be one that `addKey` made and not revoked.
    /// Never throws: every failure is an envelope with the API's meta code.
    public func handle(_ request: APIRequest, apiKey: String?) async -> Envelope {
        // The key's account, or the local account of the in-process sandbox.
        let hash = apiKey.map(keyHashes.hash)
        let account = hash ?? Sandbox.localAccount
        do {
            // The request is routed, its body decoded and checked before its transaction; a
            // refusal of these is the answer only once the key has been found good (the API
            // checks the key first), which the transaction does.
            let asked: Result<Asked, Refusal>
            do { asked = .success(try Asked(request)) } catch let refusal as Refusal { asked = .failure(refusal) }
            if case .success(let a) = asked, a.endpoint.id == .sandboxDeliveries {
                // `?wait=` waits for the account's webhooks before the read; a bad key waits for nothing.
                if let hash, let refusal = try store.read({ try $0.keyRefusal(hash: hash) }) { return refusal.envelope }
                await waitForWebhooks(a.endpoint, request, account: account)
            }
            // The trackings a create or batch adds, checked and read before the transaction
            // (nothing of it reads the store): the writer lock is held for less. An item's
            // refusal is the item's answer, given in the transaction in the item's turn.
            let creates = (try? asked.get()).flatMap {
                Sandbox.newTrackings($0.endpoint, $0.body, account: account, at: clocks.withLock { $0[account] })
            }
            // One transaction per request, the key's check included: a read-only one where
            // nothing can change.
            let run = { (transaction: any SandboxTransaction) throws -> (Envelope, FiredWebhooks?) in
                if let hash, let refusal = try transaction.keyRefusal(hash: hash) { throw refusal }
                let a = try asked.get()
                let state = try transaction.account(account)
                if creates != nil { self.clocks.withLock { $0[account] = state.clock } }
                if let limits = self.limits ?? (state.liveLimits ? .live : nil),
                    let wait = self.limiter.admit(account, a.endpoint.rateClass, limits)
                {
                    throw RateLimiter.refusal(wait, a.endpoint.rateClass, limits)
                }
                var call = Call(endpoint: a.endpoint, request: request, body: a.body, pathValues: a.pathValues, account: account, now: state.clock, store: transaction)
                call.creates = creates
                return try self.handleCollectingWebhooks(call)
            }
            let writes = (try? asked.get()).map { Billing.changesStore($0.endpoint) } ?? false
            let (envelope, fired) = try writes ? await writer.run { try self.store.write(run) } : store.read(run)
            // Sent once the request's writes are committed.
            fired?.send(through: webhooks)
            return envelope
        } catch let refusal as Refusal {
            return refusal.envelope
        } catch {
            return Envelope(.serverError, message: "Sandbox storage failed: \(error)")
        }
    }

    /// What a request asks for: its endpoint, the path's values and the body, checked
    /// against the catalog's rules (the path, the query and an object body here; each item of
    /// an array body when the handler reads it, `Call.identify`, since the API answers per item).
    struct Asked {
        let endpoint: Endpoint
        let pathValues: [String: String]
        let body: JSON

        init(_ request: APIRequest) throws {
            let path = request.path.hasSuffix("/") && request.path.count > 1 ? String(request.path.dropLast()) : request.path
            guard let (endpoint, pathValues) = Catalog.route(request.method.uppercased(), path) else {
                let allowed = Catalog.methods(for: path)
                if !allowed.isEmpty {
                    throw Refusal(.methodNotAllowed, "\(request.method) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: " or ")).")
                }
                throw Refusal(.notFound, "No endpoint \(request.method) \(request.path).")
            }
            let body = try Call.body(of: request, for: endpoint)
            var query: [String: String] = [:]
            for (k, v) in request.query { query[k] = v }
            if let problem = endpoint.validate(path: pathValues, query: query, body: body).first { throw Refusal(problem) }
            (self.endpoint, self.pathValues, self.body) = (endpoint, pathValues, body)
        }
    }

    func handle(_ call: Call) throws -> Envelope {
        switch call.endpoint.id {
        case .create: return try create(call)
        case .get: return try get(call)
        case .put: return try put(call)
        case .delete: return try delete(call)
        case .batch: return try batch(call)
        case .list, .listByBody: return try list(call)
        case .updatemore: return try updatemore(call)
        case .deleteMany: return try deleteMany(call)
        case .realtime: return try realtime(call)
        case .updateCarrier: return try updateCarrier(call)
        case .userinfo: return try userinfo(call)
        case .statusnumber: return try statusnumber(call)
        case .notupdate: return try notupdate(call)
        case .remote: return try remote(call)
        case .costtime: return try costtime(call)
        case .aircargo: return try aircargo(call)
        case .carriers: return carriers(call)
        case .detect: return try detect(call)
        case .sandboxAdvance: return try advance(call)
        case .sandboxReset: return try reset(call)
        case .sandboxSeed: return try seed(call)
        case .sandboxLimits: return try setLimits(call)
        case .sandboxClock: return Envelope(.success, Catalog.clockResult.make(["now": .string(UTC.iso(call.now)), "unix": .int(call.now)]))
        case .sandboxLesson: return try recordLesson(call)
        case .sandboxWebhooks, .sandboxWebhookAdd, .sandboxWebhookRemove, .sandboxDeliveries, .sandboxTrigger:
            return try webhookControl(call)
        }
    }

    // MARK: Keys

    /// Makes a new random key named `name`, with `quota` to spend (the default when nil);
    /// only its hash is stored, so this is the one time it is seen. Nil when the name is taken.
    public func addKey(name: String, quota: Int? = nil) throws -> String? {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let key = "tms_" + String((0..<36).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        return try store.addKey(name: name, hash: KeyHash.of(key), at: Int(time(nil)), quota: quota) ? key : nil
    }

    /// Gives the account of the key named `name` this quota (what is left, and what
    /// `sandbox reset` gives back). False when there is no such key.
    public func setQuota(keyName name: String, to quota: Int) throws -> Bool {
        try store.setQuota(keyName: name, to: quota)
    }

    /// The quota left to the account of the key named `name`.
    public func quota(keyName name: String) throws -> Int? { try store.quota(keyName: name) }

    public func keys() throws -> [StoredKey] { try store.keys() }

    public func revokeKey(name: String) throws -> Bool { try store.revokeKey(name: name) }
}

/// A request turned away, with the meta code the API uses for it.
struct Refusal: Error {
    let envelope: Envelope

    init(_ code: MetaCode, _ message: String? = nil, data: JSON = .list([])) {
        envelope = Envelope(code, data, message: message)
    }

    /// A request or item refused by the catalog's rules.
    init(_ problem: Field.Problem) {
        envelope = Envelope(problem)
    }
}

/// One request being answered: its endpoint, decoded body and query, and the account.
struct Call {
    let endpoint: Endpoint
    let pathValues: [String: String]
    let query: [String: String]
    /// The body: an object, an array, or null when there is none.
    let body: JSON
    let account: String
    /// The store, inside this request's one transaction.
    let store: any SandboxTransaction
    /// The account's virtual clock.
    let now: Int
    /// The items of a create or batch body with the tracking each adds, or the item's
    /// refusal (`Sandbox.newTrackings`), when `Sandbox.handle` read them before the transaction.
    var creates: Sandbox.NewTrackings?
    /// The items of a create or batch, read before the transaction or now.
    var newTrackings: Sandbox.NewTrackings { creates ?? Sandbox.newTrackings(endpoint, body, account: account) ?? Sandbox.NewTrackings() }

    init(endpoint: Endpoint, request: APIRequest, body: JSON, pathValues: [String: String], account: String, now: Int, store: any SandboxTransaction) {
        self.endpoint = endpoint
        self.pathValues = pathValues
        self.account = account
        self.store = store
        var query: [String: String] = [:]
        for (k, v) in request.query { query[k] = v }
        if endpoint.id == .listByBody, case .record(let parameters) = body {
            // The POST form of the list: its body's values read as the GET's query.
            for (k, v) in parameters.pairs where !v.isNull {
                query[k] = v.parameterText
            }
        }
        self.query = query
        self.body = body
        self.now = now
    }

    /// The request's body, decoded and checked against the endpoint's shape; read before the
    /// transaction starts.
    static func body(of request: APIRequest, for endpoint: Endpoint) throws -> JSON {
        let bytes = request.body ?? []
        let blank = bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        switch endpoint.body {
        case .none:
            return .null
        case .object:
            // PUT with an empty body changes nothing; other endpoints miss their fields.
            if blank { return .record(Record()) }
            guard let v = try? JSON.parse(bytes) else { throw Refusal(Choices.malformedBodyCode, "The body is not valid JSON.") }
            guard case .record = v else { throw Refusal(Choices.malformedBodyCode, "The body must be a JSON object, not \(v.kindName).") }
            return v
        case .array(_, let limit):
            guard !blank else { throw Refusal(.badRequest, "The body must be a JSON array of objects.") }
            guard let v = try? JSON.parse(bytes) else { throw Refusal(Choices.malformedBodyCode, "The body is not valid JSON.") }
            guard case .list(let items) = v else { throw Refusal(Choices.malformedBodyCode, "The body must be a JSON array, not \(v.kindName).") }
            guard items.count <= limit else {
                throw Refusal(Choices.overBatchLimitCode, "Up to \(limit) items at a time; \(items.count) were sent.")
            }
            guard items.allSatisfy({ $0.recordValue != nil }) else { throw Refusal(.badRequest, "Every item of the array must be a JSON object.") }
            return v
        }
    }

    /// A string field of a body object, checked against the catalog's type.
    func string(_ item: Record, _ name: String) throws -> String? {
        try Call.string(item, name)
    }

    static func string(_ item: Record, _ name: String) throws -> String? {
        try item[name].flatMap { try string($0, name) }
    }

    /// The value of the field `name` as a string; nil for null.
    static func string(_ v: JSON, _ name: String) throws -> String? {
        guard !v.isNull else { return nil }
        guard let text = v.scalarText else { throw Refusal(.badRequest, "\(name) must be a string, not \(v.kindName).") }
        return text
    }

    /// The carrier code and tracking number of an item, validated as the API does: an item
    /// of an array body is checked against the catalog here (an object body was checked with
    /// the request), and the carrier must be known.
    func identify(_ item: Record) throws -> (carrier: String, number: String) {
        try Call.identify(item, for: endpoint)
    }

    static func identify(_ item: Record, for endpoint: Endpoint) throws -> (carrier: String, number: String) {
        if case .array = endpoint.body, let problem = endpoint.validate(item: item).first { throw Refusal(problem) }
        return try identify(number: item["tracking_number"], carrier: item["carrier_code"])
    }

    /// The carrier code and tracking number from an item's values of them, as the API reads
    /// them: each must be a string, and the carrier known.
    static func identify(number: JSON?, carrier: JSON?) throws -> (carrier: String, number: String) {
        guard let number = try number.flatMap({ try string($0, "tracking_number") }),
            let carrier = try carrier.flatMap({ try string($0, "carrier_code") })
        else {
            throw Refusal(.badRequest, "tracking_number and carrier_code are required.")
        }
        return try identify(carrier: carrier, number: number)
    }

    /// A carrier code and tracking number as the store keeps them: both are
    /// case-insensitive; codes are kept in lower case (the API's own spelling), numbers in
    /// upper case (as carriers print them). The number's form was checked by the catalog.
    func identify(carrier: String, number: String) throws -> (carrier: String, number: String) {
        try Call.identify(carrier: carrier, number: number)
    }

    static func identify(carrier: String, number: String) throws -> (carrier: String, number: String) {
        guard let known = Carriers.carrier(code: carrier) else { throw Refusal(.carrierCodeInvalid) }
        return (known.code, number.uppercased())
    }

    /// An integer query parameter, or nil when absent.
    func int(_ name: String) throws -> Int? {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard let n = Int(text) else { throw Refusal(.badRequest, "\(name) must be an integer, not '\(text)'.") }
        return n
    }

    var objects: [Record] { Call.objects(of: body) }
    var object: Record { Call.object(of: body) }
    /// The objects of an array body (anything else in it is left out).
    static func objects(of body: JSON) -> [Record] { body.listValue?.compactMap(\.recordValue) ?? [] }
    /// An object body; an empty one for anything else.
    static func object(of body: JSON) -> Record { body.recordValue ?? Record() }
}

/// SHA-256 of a key (swift-crypto's), in hex: keys are stored only as this, and an account is
/// found by its key's hash (the store's index), so no code compares a key with a stored one.
enum KeyHash {
    static func of(_ key: String) -> String {
        Hex.encode(SHA256.hash(data: Array(key.utf8)))
    }
}
