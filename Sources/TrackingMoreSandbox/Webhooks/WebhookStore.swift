import TrackingMore

/// A URL an account registered for webhooks, and the statuses it wants (none: every one).
public struct StoredWebhook: Sendable, Equatable {
    public var url: String
    public var statuses: [String]
    public var createdAt: Int

    public init(url: String, statuses: [String], createdAt: Int) {
        self.url = url
        self.statuses = statuses
        self.createdAt = createdAt
    }

    /// Whether a tracking in `status` is sent here.
    public func wants(_ status: String) -> Bool { statuses.isEmpty || statuses.contains(status) }

    /// As the webhook controls answer it: the catalog's `Webhook` object.
    var json: JSON {
        Catalog.webhook.make(["url": .string(url), "statuses": .list(statuses.map { .string($0) }), "created_at": .string(UTC.iso(createdAt))])
    }
}

/// Where the sandbox keeps each account's webhook URLs (the real service keeps them in its
/// dashboard). Part of every `SandboxTransaction`: a request reads and changes them inside its
/// one transaction.
public protocol WebhookStore {
    /// The account's URLs in the order they were added.
    func webhooks(_ key: String) throws -> [StoredWebhook]
    /// Adds a URL, or replaces the statuses of one already there.
    func saveWebhook(_ key: String, _ webhook: StoredWebhook) throws
    /// False when the URL was not registered.
    func removeWebhook(_ key: String, url: String) throws -> Bool
    /// Moves a tracking's creation time, so its simulated route stands where `sandbox trigger`
    /// wants it.
    func setCreatedAt(_ key: String, _ tracking: StoredTracking, to time: Int) throws
}
