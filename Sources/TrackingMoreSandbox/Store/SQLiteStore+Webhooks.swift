import GRDB
import TrackingMore

extension SQLiteStore {
    /// The webhook table, a migration of its own so that databases made before webhooks
    /// gain it when opened.
    static func registerWebhookMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("webhooks") { db in
            try db.execute(sql: """
                CREATE TABLE webhook (
                    key TEXT NOT NULL, url TEXT NOT NULL, statuses TEXT NOT NULL, created_at INTEGER NOT NULL,
                    PRIMARY KEY (key, url));
                """)
        }
    }
}

/// The webhook URLs, inside a request's transaction.
extension SQLiteTransaction {
    func webhooks(_ key: String) throws -> [StoredWebhook] {
        try Row.fetchAll(db, sql: "SELECT url, statuses, created_at FROM webhook WHERE key = ? ORDER BY created_at, rowid", arguments: [key]).map { row in
            let statuses: String = row[1]
            return StoredWebhook(url: row[0], statuses: statuses.split(separator: ",").map(String.init), createdAt: row[2])
        }
    }

    func saveWebhook(_ key: String, _ w: StoredWebhook) throws {
        try db.execute(
            sql: """
                INSERT INTO webhook (key, url, statuses, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (key, url) DO UPDATE SET statuses = excluded.statuses
                """,
            arguments: [key, w.url, w.statuses.joined(separator: ","), w.createdAt])
    }

    func removeWebhook(_ key: String, url: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM webhook WHERE key = ? AND url = ?", arguments: [key, url])
        return db.changesCount == 1
    }

    func setCreatedAt(_ key: String, _ tracking: StoredTracking, to time: Int) throws {
        guard let account = try accountNumber(key) else { return }
        try db.execute(
            sql: "UPDATE tracking SET created_at = ? WHERE account = ? AND tracking_number = ? AND carrier_code = ?",
            arguments: [time, account, tracking.trackingNumber, tracking.carrierCode])
    }
}
