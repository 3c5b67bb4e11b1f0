import TrackingMore

/// A tracking as the sandbox keeps it: what the user gave, plus what the simulation decided
/// last (status and update time, kept for the list filters).
public struct StoredTracking: Sendable, Equatable {
    public var id: String
    public var carrierCode: String
    public var trackingNumber: String
    /// Virtual unix seconds.
    public var createdAt: Int
    /// The user's own fields (title, order_id, customer_email, ...), as given.
    public var fields: Record
    public var archived: Bool
    /// 4 (delivered) or 7 (exception) when set by PUT; nil follows the carrier.
    public var statusOverride: Int?
    /// False after `notupdate`: the simulation no longer moves it.
    public var tracked: Bool
    /// The clock time `notupdate` froze it at.
    public var frozenAt: Int?
    public var status: String
    public var updatedAt: Int
    /// `order_create_time` as unix seconds, when it could be read.
    public var orderCreatedAt: Int?
}

/// A tracking to insert, and its fields as the JSON text the store keeps (`JSON.compactText`).
public struct TrackingInsert: Sendable {
    public var tracking: StoredTracking
    public var fieldsText: String
}

/// The filters of `GET /trackings/get`.
public struct ListFilter: Sendable {
    public var status: String?
    public var createdMin: Int?, createdMax: Int?
    public var updatedMin: Int?, updatedMax: Int?
    public var orderMin: Int?, orderMax: Int?
    public var numbers: [String] = []
    public var orders: [String] = []
    public var archived: Bool?

    public init() {}
}

/// Per-key account state: the virtual clock, the quota and the sandbox's settings.
public struct Account: Sendable, Equatable {
    public var clock: Int
    /// What is left to spend.
    public var quota: Int
    /// What the account was given (at first use, or by `tms keys quota`); `sandbox reset`
    /// gives it back.
    public var granted: Int
    public var registeredAt: Int
    /// `remote` calls so far: every fifth uses one quota.
    public var remoteCalls: Int = 0
    /// Whether the API's published rate limits apply to this account (`sandbox limits live`).
    public var liveLimits: Bool = false
}

/// An API key of a `tms serve` database; only its hash is stored.
public struct StoredKey: Sendable, Equatable {
    public var name: String
    public var createdAt: Int
    public var revoked: Bool
}

/// A lesson of `tms learn` as a classroom's server recorded it for one account.
public struct LessonRecord: Sendable, Equatable {
    public var lesson: String
    public var title: String
    /// `started` or `done`; a done lesson stays done when started again.
    public var state: String
    /// Real time (unix seconds) of the last change.
    public var at: Int
}

/// Where the sandbox keeps its state. Narrow on purpose, so that another store (PostgreSQL
/// for several `tms serve` instances) can sit beside the SQLite one; nothing above it knows
/// which it talks to.
///
/// Every request is answered inside one transaction (`write` or `read`), read-modify-write
/// included, so concurrent requests give the result of some serial order: no quota is spent
/// twice and no edit is lost.
public protocol SandboxStore: Sendable {
    /// Runs `body` in one write transaction: all its changes are kept, or none (when it
    /// throws), and no other write runs in between.
    func write<T>(_ body: (any SandboxTransaction) throws -> T) throws -> T
    /// Runs `body` on one consistent snapshot; it may not change anything.
    func read<T>(_ body: (any SandboxTransaction) throws -> T) throws -> T

    /// Makes a key with its account; false when the name is taken.
    func addKey(name: String, hash: String, at time: Int, quota: Int?) throws -> Bool
    func keys() throws -> [StoredKey]
    func revokeKey(name: String) throws -> Bool
    /// Sets the quota of the account of the key with this name; false when there is none.
    func setQuota(keyName: String, to quota: Int) throws -> Bool
    /// The quota of the account of the key with this name; nil when there is none.
    func quota(keyName: String) throws -> Int?
    /// The hash of the key named `name`, revoked or not; nil when there is none.
    func keyHash(name: String) throws -> String?
    /// Forgets the lessons the key's account recorded.
    func forgetLessons(_ key: String) throws
}

/// What one request can do to the store, inside its transaction. Every method is scoped by
/// the hash of an API key (the account).
public protocol SandboxTransaction: WebhookStore {
    /// nil for an unknown key, false for a revoked one.
    func keyIsActive(hash: String) throws -> Bool?

    /// The account; one not seen before has the starting clock and quota (and is stored
    /// when the transaction writes).
    func account(_ key: String) throws -> Account
    func save(_ key: String, _ account: Account) throws

    /// Inserts each tracking unless its carrier and number exist for this key, or come earlier
    /// in `new`; for each, whether it was inserted.
    func insert(_ key: String, _ new: [TrackingInsert]) throws -> [Bool]
    func tracking(_ key: String, carrier: String, number: String) throws -> StoredTracking?
    /// Replaces trackings found by their number and carrier.
    func update(_ key: String, _ trackings: [StoredTracking]) throws
    /// Moves a tracking to another carrier; false when the target exists already.
    func changeCarrier(_ key: String, _ tracking: StoredTracking, to carrier: String) throws -> Bool
    func delete(_ key: String, carrier: String, number: String) throws -> Bool
    /// One page of the trackings that pass the filter, newest first, and how many pass.
    func list(_ key: String, _ filter: ListFilter, page: Int, limit: Int) throws -> (total: Int, items: [StoredTracking])
    func all(_ key: String) throws -> [StoredTracking]
    /// Deletes every tracking of the key, puts its clock back and its quota to what it was
    /// granted.
    func reset(_ key: String) throws

    /// Records a lesson's state for the key's account (kept by `reset`).
    func recordLesson(_ key: String, _ lesson: LessonRecord) throws
    func lessons(_ key: String) throws -> [LessonRecord]
}

extension SandboxTransaction {
    /// Inserts unless the carrier and number exist for this key; false when they do.
    func insert(_ key: String, _ tracking: StoredTracking) throws -> Bool {
        try insert(key, tracking, fieldsText: JSON.record(tracking.fields).compactText)
    }

    /// The same, with `fieldsText` given.
    func insert(_ key: String, _ tracking: StoredTracking, fieldsText: String) throws -> Bool {
        try insert(key, [TrackingInsert(tracking: tracking, fieldsText: fieldsText)]) == [true]
    }

    /// The API's refusal of an unknown (4001) or revoked (4002) key; nil for an active one.
    func keyRefusal(hash: String) throws -> Refusal? {
        switch try keyIsActive(hash: hash) {
        case nil: return Refusal(.invalidKey)
        case false?: return Refusal(.keyDeleted)
        case true?: return nil
        }
    }

    func setClock(_ key: String, to time: Int) throws {
        var a = try account(key)
        a.clock = time
        try save(key, a)
    }

    func setQuota(_ key: String, to quota: Int) throws {
        var a = try account(key)
        a.quota = quota
        try save(key, a)
    }
}
