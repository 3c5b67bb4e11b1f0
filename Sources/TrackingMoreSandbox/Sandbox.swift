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
    /// Sends the webhooks that status changes fire (Sandbox+Webhooks.swift).
    public let webhooks: WebhookDispatcher

    /// The account of the in-process sandbox, used when no key is given.
    public static let localAccount = "local"

    public init(store: any SandboxStore, webhooks: WebhookSettings = WebhookSettings()) {
        self.store = store
        self.webhooks = WebhookDispatcher(settings: webhooks)
    }

    /// A sandbox on the SQLite database at `path` (`:memory:` for one in memory).
    public convenience init(path: String, webhooks: WebhookSettings = WebhookSettings()) throws {
        self.init(store: try SQLiteStore(path: path), webhooks: webhooks)
    }

    /// Answers one request. With `apiKey` nil the request uses the local account (the
    /// in-process sandbox); otherwise the key must be one that `addKey` made and not revoked.
    /// Never throws: every failure is an envelope with the API's meta code.
    public func handle(_ request: APIRequest, apiKey: String?) async -> Envelope {
        do {
            let account: String
            if let apiKey {
                switch try store.keyIsActive(hash: KeyHash.of(apiKey)) {
                case nil: return Envelope(.invalidKey)
                case false?: return Envelope(.keyDeleted)
                case true?: account = KeyHash.of(apiKey)
                }
            } else {
                account = Sandbox.localAccount
            }
            let path = request.path.hasSuffix("/") && request.path.count > 1 ? String(request.path.dropLast()) : request.path
            guard let (endpoint, pathValues) = Catalog.route(request.method.uppercased(), path) else {
                let allowed = Catalog.methods(for: path)
                if !allowed.isEmpty {
                    return Envelope(.methodNotAllowed, message: "\(request.method) is not allowed here; use \(allowed.map(\.rawValue).joined(separator: " or ")).")
                }
                return Envelope(.notFound, message: "No endpoint \(request.method) \(request.path).")
            }
            let call = try Call(endpoint: endpoint, request: request, pathValues: pathValues, account: account, store: store)
            await waitForWebhooks(call)
            let (envelope, fired) = try handleCollectingWebhooks(call)
            fired?.send(through: webhooks)
            return envelope
        } catch let refusal as Refusal {
            return refusal.envelope
        } catch {
            return Envelope(.serverError, message: "Sandbox storage failed: \(error)")
        }
    }

    func handle(_ call: Call) throws -> Envelope {
        switch call.endpoint.id {
        case .create: return try create(call)
        case .get: return try get(call)
        case .put: return try put(call)
        case .delete: return try delete(call)
        case .batch: return try batch(call)
        case .list: return try list(call)
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
        case .sandboxClock: return Envelope(.success, ["now": .string(UTC.iso(call.now)), "unix": .int(call.now)])
        case .sandboxLesson: return try recordLesson(call)
        case .sandboxWebhooks, .sandboxWebhookAdd, .sandboxWebhookRemove, .sandboxDeliveries, .sandboxTrigger:
            return try webhookControl(call)
        }
    }

    // MARK: Keys

    /// Makes a new random key named `name`; only its hash is stored, so this is the one
    /// time it is seen. Nil when the name is taken.
    public func addKey(name: String) throws -> String? {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let key = "tms_" + String((0..<36).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        return try store.addKey(name: name, hash: KeyHash.of(key), at: Int(time(nil))) ? key : nil
    }

    public func keys() throws -> [StoredKey] { try store.keys() }

    public func revokeKey(name: String) throws -> Bool { try store.revokeKey(name: name) }
}

/// A request turned away, with the meta code the API uses for it.
struct Refusal: Error {
    let envelope: Envelope

    init(_ code: MetaCode, _ message: String? = nil, data: JSON = .list([])) {
        envelope = Envelope(code, data, message: message)
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
    let store: any SandboxStore
    /// The account's virtual clock.
    let now: Int

    init(endpoint: Endpoint, request: APIRequest, pathValues: [String: String], account: String, store: any SandboxStore) throws {
        self.endpoint = endpoint
        self.pathValues = pathValues
        self.account = account
        self.store = store
        var query: [String: String] = [:]
        for (k, v) in request.query { query[k] = v }
        self.query = query
        let bytes = request.body ?? []
        let blank = bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        switch endpoint.body {
        case .none:
            body = .null
        case .object:
            if blank {
                // PUT with an empty body changes nothing; other endpoints miss their fields.
                body = .record(Record())
            } else {
                guard let v = try? JSON.parse(bytes) else { throw Refusal(Choices.malformedBodyCode, "The body is not valid JSON.") }
                guard case .record = v else { throw Refusal(Choices.malformedBodyCode, "The body must be a JSON object, not \(v.kindName).") }
                body = v
            }
        case .array(_, let limit):
            guard !blank else { throw Refusal(.badRequest, "The body must be a JSON array of objects.") }
            guard let v = try? JSON.parse(bytes) else { throw Refusal(Choices.malformedBodyCode, "The body is not valid JSON.") }
            guard case .list(let items) = v else { throw Refusal(Choices.malformedBodyCode, "The body must be a JSON array, not \(v.kindName).") }
            guard items.count <= limit else {
                throw Refusal(Choices.overBatchLimitCode, "Up to \(limit) items at a time; \(items.count) were sent.")
            }
            guard items.allSatisfy({ $0.recordValue != nil }) else { throw Refusal(.badRequest, "Every item of the array must be a JSON object.") }
            body = v
        }
        now = try store.account(account).clock
    }

    /// A string field of a body object, checked against the catalog's type.
    func string(_ item: Record, _ name: String) throws -> String? {
        guard let v = item[name], !v.isNull else { return nil }
        switch v {
        case .string(let s): return s
        case .int, .double: return v.compactText
        default: throw Refusal(.badRequest, "\(name) must be a string, not \(v.kindName).")
        }
    }

    /// The carrier code and tracking number of an item, validated as the API does.
    func identify(_ item: Record) throws -> (carrier: String, number: String) {
        guard let number = try string(item, "tracking_number"), !number.isEmpty else { throw Refusal(.trackingNumberRequired) }
        guard let carrier = try string(item, "carrier_code"), !carrier.isEmpty else { throw Refusal(.carrierCodeInvalid, "Carrier code is required.") }
        try Call.validate(number: number)
        guard Carriers.carrier(code: carrier) != nil else { throw Refusal(.carrierCodeInvalid) }
        return (carrier, number)
    }

    /// At least 5 of letters, digits, `-` and `_`.
    static func validate(number: String) throws {
        let ok = number.utf8.count >= 5 && number.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
        }
        if !ok { throw Refusal(.trackingNumberInvalid) }
    }

    /// An integer query parameter, or nil when absent.
    func int(_ name: String) throws -> Int? {
        guard let text = query[name], !text.isEmpty else { return nil }
        guard let n = Int(text) else { throw Refusal(.badRequest, "\(name) must be an integer, not '\(text)'.") }
        return n
    }

    var objects: [Record] { body.listValue?.compactMap(\.recordValue) ?? [] }
    var object: Record { body.recordValue ?? Record() }
}

/// SHA-256 of a key, in hex: keys are stored only as this.
enum KeyHash {
    static func of(_ key: String) -> String {
        SHA256.hex(SHA256.hash(Array(key.utf8)))
    }
}
