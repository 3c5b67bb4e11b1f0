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

/// Per-key account state: the virtual clock and the quota.
public struct Account: Sendable, Equatable {
    public var clock: Int
    public var quota: Int
    public var registeredAt: Int
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
/// which it talks to. Every method is scoped by the hash of an API key.
public protocol SandboxStore: WebhookStore, Sendable {
    func account(_ key: String) throws -> Account
    func setClock(_ key: String, to time: Int) throws
    func setQuota(_ key: String, to quota: Int) throws

    /// Inserts unless the carrier and number exist for this key; false when they do.
    func insert(_ key: String, _ tracking: StoredTracking) throws -> Bool
    func tracking(_ key: String, carrier: String, number: String) throws -> StoredTracking?
    /// Replaces trackings found by their ids, all in one transaction.
    func update(_ key: String, _ trackings: [StoredTracking]) throws
    /// Moves a tracking to another carrier; false when the target exists already.
    func changeCarrier(_ key: String, id: String, to carrier: String) throws -> Bool
    func delete(_ key: String, carrier: String, number: String) throws -> Bool
    /// One page of the trackings that pass the filter, newest first, and how many pass.
    func list(_ key: String, _ filter: ListFilter, page: Int, limit: Int) throws -> (total: Int, items: [StoredTracking])
    func all(_ key: String) throws -> [StoredTracking]
    /// Deletes every tracking of the key and resets its account.
    func reset(_ key: String) throws

    func addKey(name: String, hash: String, at time: Int) throws -> Bool
    func keys() throws -> [StoredKey]
    func revokeKey(name: String) throws -> Bool
    /// nil for an unknown key, false for a revoked one.
    func keyIsActive(hash: String) throws -> Bool?
    /// The hash of the key named `name`, revoked or not; nil when there is none.
    func keyHash(name: String) throws -> String?

    /// Records a lesson's state for the key's account (kept by `reset`).
    func recordLesson(_ key: String, _ lesson: LessonRecord) throws
    func lessons(_ key: String) throws -> [LessonRecord]
    func forgetLessons(_ key: String) throws
}
