import CSQLiteConfig
import Dispatch
import GRDB
import TrackingMore

/// The sandbox's state in SQLite through GRDB: a file (WAL, so readers never wait for a
/// writer) or `:memory:` for tests. The statements every request runs are prepared once per
/// connection (`cachedStatement`): preparing one costs more than running it.
public final class SQLiteStore: SandboxStore {
    let db: any DatabaseWriter
    /// The connections read-only requests use (a file's; `:memory:` reads through `db`).
    let readers: Readers?
    /// The trackings' fields as last parsed from their JSON text.
    let parsed = ParsedFields()
    /// Copies a file's WAL into it beside the writer (nil for `:memory:`).
    let checkpointer: Checkpointer?

    /// Opens (and migrates) the database at `path`; `:memory:` keeps it in memory.
    public convenience init(path: String) throws {
        try self.init(path: path, checkpointPages: Checkpointer.defaultPages)
    }

    /// `checkpointPages`: the new WAL pages that make a checkpoint due; `checkpointPause`: how
    /// long the writes must pause before it runs (tests make them small, or the pause long).
    init(path: String, checkpointPages: Int32, checkpointPause: DispatchTimeInterval = Checkpointer.defaultPause) throws {
        _ = Self.processSettings
        if path == ":memory:" {
            db = try DatabaseQueue()
            readers = nil
            checkpointer = nil
        } else {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives
            // the process being killed (it is in the WAL file), only the last ones may be lost
            // if the machine itself loses power. One fsync per request would bound tms serve's
            // writes by the disk's flush rate.
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            db = try DatabasePool(path: path, configuration: configuration)
            readers = Readers(path: path, configuration: configuration)
            checkpointer = Checkpointer(path: path, configuration: configuration, pages: checkpointPages, pause: checkpointPause)
        }
        try Self.migrator.migrate(db)
        if let checkpointer { try db.writeWithoutTransaction { checkpointer.start(on: $0) } }
    }

    /// SQLite keeps process-wide memory statistics (`sqlite3_memory_used`), which nothing here
    /// reads, under a mutex taken at every allocation and free (Debian's SQLite has no
    /// lookaside, so an insert makes some 60 of them): 7 % of tms serve's writer in bulk
    /// creates. Turned off before the first connection opens, after which the setting is
    /// fixed (a process that opened one before keeps the statistics, which costs only time).
    /// And the process's default VFS becomes one that writes a WAL's frames a commit at a time
    /// (CSQLiteConfig's wal_writes.c), which must also be so before the first connection opens;
    /// should it fail, SQLite's own VFS stays, which only costs time.
    private static let processSettings: Void = { _ = CSQLiteConfig_memstatus(0); _ = CSQLiteConfig_walWrites() }()

    deinit {
        if let checkpointer { try? db.writeWithoutTransaction { checkpointer.stop(on: $0) } }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE account (
                    key TEXT PRIMARY KEY, clock INTEGER NOT NULL, quota INTEGER NOT NULL, registered_at INTEGER NOT NULL);
                CREATE TABLE tracking (
                    key TEXT NOT NULL, id TEXT NOT NULL, carrier_code TEXT NOT NULL, tracking_number TEXT NOT NULL,
                    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, status TEXT NOT NULL,
                    status_override INTEGER, archived INTEGER NOT NULL, tracked INTEGER NOT NULL, frozen_at INTEGER,
                    order_id TEXT, order_created_at INTEGER, fields TEXT NOT NULL,
                    PRIMARY KEY (key, carrier_code, tracking_number));
                CREATE UNIQUE INDEX tracking_id ON tracking (key, id);
                CREATE INDEX tracking_created ON tracking (key, created_at);
                CREATE INDEX tracking_updated ON tracking (key, updated_at);
                CREATE INDEX tracking_status ON tracking (key, status, created_at);
                CREATE INDEX tracking_number ON tracking (key, tracking_number);
                CREATE INDEX tracking_order ON tracking (key, order_id);
                CREATE INDEX tracking_order_time ON tracking (key, order_created_at);
                CREATE TABLE api_key (
                    name TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
                """)
        }
        m.registerMigration("lessons") { db in
            try db.execute(sql: """
                CREATE TABLE lesson (
                    key TEXT NOT NULL, lesson TEXT NOT NULL, title TEXT NOT NULL, state TEXT NOT NULL, at INTEGER NOT NULL,
                    PRIMARY KEY (key, lesson));
                """)
        }
        registerWebhookMigration(&m)
        m.registerMigration("v2: billing, settings, case-insensitive codes and numbers") { db in
            try db.execute(sql: """
                ALTER TABLE account ADD COLUMN granted INTEGER NOT NULL DEFAULT \(Choices.initialQuota);
                UPDATE account SET granted = max(quota, \(Choices.initialQuota));
                ALTER TABLE account ADD COLUMN remote_calls INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE account ADD COLUMN live_limits INTEGER NOT NULL DEFAULT 0;
                """)
            try normalizeCase(db)
        }
        m.registerMigration("v3: trackings under their account's number, found by number with or without carrier") { db in
            // Every index entry of a tracking began with its account's key, a 64-character
            // hash: most of each entry, compared at every step down the index. Trackings now
            // hold their account's number (`account.id`), which SQLite stores in a byte or
            // two; with 10,000 creates the WAL holds a third fewer pages. The primary key
            // also puts the number before the carrier, so that finding a number without its
            // carrier (list's `tracking_numbers`) needs no index of its own. The order
            // indexes leave out trackings without an order id or time, which their filters
            // never match (most trackings have no order time). SQLite cannot
            // change a key in place: both tables are built again, keeping rowids.
            try db.execute(sql: """
                CREATE TABLE account_v3 (
                    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, clock INTEGER NOT NULL, quota INTEGER NOT NULL,
                    registered_at INTEGER NOT NULL, granted INTEGER NOT NULL, remote_calls INTEGER NOT NULL DEFAULT 0,
                    live_limits INTEGER NOT NULL DEFAULT 0);
                INSERT INTO account_v3 (id, key, clock, quota, registered_at, granted, remote_calls, live_limits)
                    SELECT rowid, key, clock, quota, registered_at, granted, remote_calls, live_limits FROM account;
                INSERT INTO account_v3 (key, clock, quota, registered_at, granted)
                    SELECT DISTINCT key, \(Choices.epoch), \(Choices.initialQuota), \(Choices.epoch), \(Choices.initialQuota) FROM tracking
                    WHERE key NOT IN (SELECT key FROM account_v3);
                DROP TABLE account;
                ALTER TABLE account_v3 RENAME TO account;
                CREATE TABLE tracking_v3 (
                    account INTEGER NOT NULL, id TEXT NOT NULL, carrier_code TEXT NOT NULL, tracking_number TEXT NOT NULL,
                    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, status TEXT NOT NULL,
                    status_override INTEGER, archived INTEGER NOT NULL, tracked INTEGER NOT NULL, frozen_at INTEGER,
                    order_id TEXT, order_created_at INTEGER, fields TEXT NOT NULL,
                    PRIMARY KEY (account, tracking_number, carrier_code));
                INSERT INTO tracking_v3 (rowid, account, id, carrier_code, tracking_number, created_at, updated_at, status,
                        status_override, archived, tracked, frozen_at, order_id, order_created_at, fields)
                    SELECT t.rowid, a.id, t.id, t.carrier_code, t.tracking_number, t.created_at, t.updated_at, t.status,
                        t.status_override, t.archived, t.tracked, t.frozen_at, t.order_id, t.order_created_at, t.fields
                    FROM tracking t JOIN account a ON a.key = t.key;
                DROP TABLE tracking;
                ALTER TABLE tracking_v3 RENAME TO tracking;
                CREATE UNIQUE INDEX tracking_id ON tracking (account, id);
                CREATE INDEX tracking_created ON tracking (account, created_at);
                CREATE INDEX tracking_updated ON tracking (account, updated_at);
                CREATE INDEX tracking_status ON tracking (account, status, created_at);
                CREATE INDEX tracking_order ON tracking (account, order_id) WHERE order_id IS NOT NULL;
                CREATE INDEX tracking_order_time ON tracking (account, order_created_at) WHERE order_created_at IS NOT NULL;
                """)
        }
        m.registerMigration("v4: no index of tracking ids") { db in
            // Nothing finds a tracking by its id: updates find it by its primary key. The index
            // cost every insert a search for a duplicate and an entry of its own (new ids are
            // a hash again, as live ones look, rather than the time and a serial that kept
            // them at the index's end).
            try db.execute(sql: "DROP INDEX tracking_id")
        }
        return m
    }

    /// Carrier codes are stored in lower case and numbers in upper case (both are
    /// case-insensitive). Before v2 they were stored as typed, so `China-Post` and
    /// `china-post` could hold the same number twice: the first created stays, the later
    /// copies go, and the quota they used is given back.
    static func normalizeCase(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TEMP TABLE duplicate AS
                SELECT rowid AS row, key FROM tracking t
                WHERE EXISTS (
                    SELECT 1 FROM tracking o
                    WHERE o.key = t.key AND lower(o.carrier_code) = lower(t.carrier_code)
                        AND upper(o.tracking_number) = upper(t.tracking_number)
                        AND (o.created_at < t.created_at OR (o.created_at = t.created_at AND o.rowid < t.rowid)));
            UPDATE account SET quota = quota + (SELECT count(*) FROM duplicate d WHERE d.key = account.key);
            DELETE FROM tracking WHERE rowid IN (SELECT row FROM duplicate);
            DROP TABLE duplicate;
            UPDATE tracking SET carrier_code = lower(carrier_code), tracking_number = upper(tracking_number)
                WHERE carrier_code <> lower(carrier_code) OR tracking_number <> upper(tracking_number);
            """)
    }

    public func write<T>(_ body: (any SandboxTransaction) throws -> T) throws -> T {
        // GRDB opens write transactions IMMEDIATE: the writer lock is taken before the first
        // read, so a read-modify-write cannot interleave with another writer.
        try db.write { db in
            let transaction = SQLiteTransaction(db: db, writes: true, parsed: parsed, memo: TransactionMemo())
            let result = try body(transaction)
            try transaction.saveAccounts()
            return result
        }
    }

    public func read<T>(_ body: (any SandboxTransaction) throws -> T) throws -> T {
        guard let readers else {
            return try db.read { db in try body(SQLiteTransaction(db: db, writes: false, parsed: parsed, memo: TransactionMemo())) }
        }
        // The same deferred transaction GRDB's `read` opens, with BEGIN and COMMIT prepared
        // once per connection: GRDB prepares its BEGIN afresh each time, a tenth of a keyed GET.
        return try readers.read { db in
            try db.cachedStatement(sql: "BEGIN DEFERRED TRANSACTION").execute()
            do {
                let result = try body(SQLiteTransaction(db: db, writes: false, parsed: parsed, memo: TransactionMemo()))
                try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                return result
            } catch {
                try? db.cachedStatement(sql: "ROLLBACK TRANSACTION").execute()
                throw error
            }
        }
    }

    public func addKey(name: String, hash: String, at time: Int, quota: Int?) throws -> Bool {
        try db.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO api_key (name, hash, created_at) VALUES (?, ?, ?)", arguments: [name, hash, time])
            guard db.changesCount == 1 else { return false }
            if let quota {
                let t = SQLiteTransaction(db: db, writes: true, parsed: parsed)
                var a = try t.account(hash)
                (a.quota, a.granted) = (quota, quota)
                try t.save(hash, a)
            }
            return true
        }
    }

    public func keys() throws -> [StoredKey] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT name, created_at, revoked FROM api_key ORDER BY name").map {
                StoredKey(name: $0[0], createdAt: $0[1], revoked: $0[2])
            }
        }
    }

    public func revokeKey(name: String) throws -> Bool {
        try db.write { db in
            try db.execute(sql: "UPDATE api_key SET revoked = 1 WHERE name = ? AND revoked = 0", arguments: [name])
            return db.changesCount == 1
        }
    }

    public func setQuota(keyName: String, to quota: Int) throws -> Bool {
        try db.write { db in
            guard let hash = try String.fetchOne(db, sql: "SELECT hash FROM api_key WHERE name = ?", arguments: [keyName]) else { return false }
            let t = SQLiteTransaction(db: db, writes: true, parsed: parsed)
            var a = try t.account(hash)
            (a.quota, a.granted) = (quota, quota)
            try t.save(hash, a)
            return true
        }
    }

    public func quota(keyName: String) throws -> Int? {
        try db.read { db in
            guard let hash = try String.fetchOne(db, sql: "SELECT hash FROM api_key WHERE name = ?", arguments: [keyName]) else { return nil }
            return try SQLiteTransaction(db: db, writes: false, parsed: parsed).account(hash).quota
        }
    }

    public func keyHash(name: String) throws -> String? {
        try db.read { db in try String.fetchOne(db, sql: "SELECT hash FROM api_key WHERE name = ?", arguments: [name]) }
    }

    public func forgetLessons(_ key: String) throws {
        try db.write { db in try db.execute(sql: "DELETE FROM lesson WHERE key = ?", arguments: [key]) }
    }
}

/// What one transaction knows of the store without asking it again. Inside a write
/// transaction no other writer can change anything (GRDB opens it IMMEDIATE).
final class TransactionMemo {
    /// The accounts read or changed. Every read and write of the account table goes through
    /// `account` and `save`, so this is the account as stored.
    var accounts = FewByKey<(account: Account, dirty: Bool)>()
    /// The accounts' numbers, which trackings are stored under (`accountNumber`).
    var numbers = FewByKey<Int>()
}

/// A few values by key, searched in order. A transaction touches one account, or two: finding
/// its key among them (mostly the very same string) is cheaper than hashing its 64 characters,
/// which a batch of 40 creates did some 160 times.
struct FewByKey<Value>: Sequence {
    private var entries: [(key: String, value: Value)] = []

    subscript(key: String) -> Value? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    mutating func removeAll() { entries.removeAll() }

    func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> { entries.makeIterator() }
}

/// One request's view of the SQLite store, inside the transaction `SQLiteStore` opened.
struct SQLiteTransaction: SandboxTransaction {
    let db: Database
    /// False in a read transaction: an account not seen before is not stored.
    let writes: Bool
    let parsed: ParsedFields
    /// What this transaction read or changed (nil: read and save each time).
    var memo: TransactionMemo? = nil

    /// A tracking from a row of `trackingColumns`; its fields' JSON text is parsed once and
    /// remembered (`ParsedFields`).
    func tracking(_ c: ColumnCursor<StoredTracking>.Columns) throws -> StoredTracking {
        StoredTracking(
            id: try c.string(0), carrierCode: try c.string(1), trackingNumber: try c.string(2), createdAt: try c.int(3),
            fields: parsed.record(try c.string(4)), archived: try c.bool(5), statusOverride: try c.optionalInt(6),
            tracked: try c.bool(7), frozenAt: try c.optionalInt(8), status: try c.string(9), updatedAt: try c.int(10),
            orderCreatedAt: try c.optionalInt(11))
    }

    /// Also reads the key's account in the same statement and keeps it in the memo: the
    /// request reads it next.
    func keyIsActive(hash: String) throws -> Bool? {
        let found = try ColumnCursor.fetchOne(db.cachedStatement(sql: SQLiteStore.keyStateSQL), arguments: [hash]) { c -> (Bool, (Account, Int)?) in
            (try c.bool(0), try c.bool(1) ? (try SQLiteStore.account(c, from: 3), try c.int(2)) : nil)
        }
        guard let (active, account) = found else { return nil }
        if let (account, number) = account, let memo, memo.accounts[hash] == nil {
            memo.accounts[hash] = (account, false)
            memo.numbers[hash] = number
        }
        return active
    }

    func account(_ key: String) throws -> Account {
        if let known = memo?.accounts[key] { return known.account }
        if let stored = try storedAccount(key) {
            memo?.accounts[key] = (stored, false)
            return stored
        }
        let a = Account(clock: Choices.epoch, quota: Choices.initialQuota, granted: Choices.initialQuota, registeredAt: Choices.epoch)
        if writes { try save(key, a) }
        return a
    }

    /// Keeps the account for `saveAccounts` at the end of the transaction when there is a
    /// memo: a batch charges each of its items, and the account row is written once.
    func save(_ key: String, _ a: Account) throws {
        guard let memo else { return try saveNow(key, a) }
        memo.accounts[key] = (a, true)
    }

    /// Writes the accounts changed in this transaction; `SQLiteStore.write` calls it last.
    func saveAccounts() throws {
        guard let memo else { return }
        for (key, entry) in memo.accounts.sorted(by: { $0.key < $1.key }) where entry.dirty {
            try saveNow(key, entry.account)
        }
        memo.accounts.removeAll()
    }

    /// The number of the key's account, which its trackings are stored under: every index of
    /// trackings begins with it, and a number takes a byte or two where the key took 64. In a
    /// write transaction an account not stored yet is stored now; in a read one it has no
    /// trackings (nil).
    func accountNumber(_ key: String) throws -> Int? {
        if let known = memo?.numbers[key] { return known }
        let select = try db.cachedStatement(sql: "SELECT id FROM account WHERE key = ?")
        var number = try Int.fetchOne(select, arguments: [key])
        if number == nil, writes {
            try saveNow(key, try account(key))
            number = try Int.fetchOne(select, arguments: [key])
        }
        if let number { memo?.numbers[key] = number }
        return number
    }

    private func storedAccount(_ key: String) throws -> Account? {
        try ColumnCursor.fetchOne(db.cachedStatement(sql: SQLiteStore.accountSQL), arguments: [key]) { c in try SQLiteStore.account(c, from: 0) }
    }

    private func saveNow(_ key: String, _ a: Account) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO account (key, clock, quota, granted, registered_at, remote_calls, live_limits) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET clock = excluded.clock, quota = excluded.quota, granted = excluded.granted,
                    remote_calls = excluded.remote_calls, live_limits = excluded.live_limits
                """
        ).execute(arguments: [key, a.clock, a.quota, a.granted, a.registeredAt, a.remoteCalls, a.liveLimits])
    }

    func insert(_ key: String, _ new: [TrackingInsert]) throws -> [Bool] {
        guard !new.isEmpty else { return [] }
        guard let account = try accountNumber(key) else { return new.map { _ in false } }
        // The rows the statement stores get the rowids after the largest one (SQLite gives
        // them so until the largest possible is taken), so when some rows were ignored those
        // stored can be read back, in the order they were stored; mostly none is, as the
        // count of changes tells. A `RETURNING` clause returned every row stored, through a
        // table of its own, and a number and a carrier string were made of each: some 80 M
        // instructions of the writer's 370 M for 10,000 creates. Past the largest rowid the
        // statement still returns the rows it stores.
        let largest = try ColumnCursor.fetchOne(db.cachedStatement(sql: "SELECT max(rowid) FROM tracking"), arguments: []) { try $0.optionalInt(0) } ?? nil
        let readBack = largest != Int(Int64.max)
        var stored: [(number: String, carrier: String)?] = []
        stored.reserveCapacity(new.count)
        let read = { (columns: ColumnCursor<Void>.Columns) throws in stored.append((try columns.string(0), try columns.string(1))) }
        try db.cachedStatement(sql: SQLiteStore.insertTrackingsSQL(new.count, returning: !readBack)).run(in: db, bind: { b in
            // By index, the rows read where they are: a copy of a row is a dozen reference counts.
            for i in new.indices {
                try b.int(account); try b.text(new[i].tracking.id); try b.text(new[i].tracking.carrierCode)
                try b.text(new[i].tracking.trackingNumber); try b.int(new[i].tracking.createdAt); try b.int(new[i].tracking.updatedAt)
                try b.text(new[i].tracking.status); try b.int(new[i].tracking.statusOverride); try b.int(new[i].tracking.archived ? 1 : 0)
                try b.int(new[i].tracking.tracked ? 1 : 0); try b.int(new[i].tracking.frozenAt)
                try b.text(new[i].tracking.fields["order_id"]?.stringValue); try b.int(new[i].tracking.orderCreatedAt)
                try b.text(new[i].fieldsText)
            }
        }, row: readBack ? nil : read)
        if readBack {
            if db.changesCount == new.count { return new.map { _ in true } }
            try db.cachedStatement(sql: "SELECT tracking_number, carrier_code FROM tracking WHERE rowid > ? ORDER BY rowid")
                .run(in: db, bind: { try $0.int(largest ?? 0) }, row: read)
        }
        // SQLite stores the rows in order and ignores one whose number and carrier are taken,
        // by an earlier row too: of items with the same number and carrier, the first was
        // stored. The rows stored come in the order they were stored, so each is looked for
        // first where the one before was found.
        var next = 0
        return new.indices.map { i in
            let (number, carrier) = (new[i].tracking.trackingNumber, new[i].tracking.carrierCode)
            let found = stored[next...].firstIndex { $0?.number == number && $0?.carrier == carrier }
                ?? stored[..<next].firstIndex { $0?.number == number && $0?.carrier == carrier }
            guard let found else { return false }
            stored[found] = nil
            next = found + 1
            return true
        }
    }

    func tracking(_ key: String, carrier: String, number: String) throws -> StoredTracking? {
        guard let account = try accountNumber(key) else { return nil }
        return try ColumnCursor.fetchOne(
            db.cachedStatement(sql: "SELECT \(SQLiteStore.trackingColumns) FROM tracking WHERE account = ? AND carrier_code = ? AND tracking_number = ?"),
            arguments: [account, carrier, number], read: tracking)
    }

    func update(_ key: String, _ trackings: [StoredTracking]) throws {
        guard let account = try accountNumber(key) else { return }
        for t in trackings {
            try db.cachedStatement(
                sql: """
                    UPDATE tracking SET updated_at = ?, status = ?, status_override = ?, archived = ?, tracked = ?,
                        frozen_at = ?, order_id = ?, order_created_at = ?, fields = ?
                    WHERE account = ? AND tracking_number = ? AND carrier_code = ?
                    """
            ).execute(
                arguments: [
                    t.updatedAt, t.status, t.statusOverride, t.archived, t.tracked, t.frozenAt,
                    t.fields["order_id"]?.stringValue, t.orderCreatedAt, JSON.record(t.fields).compactText, account,
                    t.trackingNumber, t.carrierCode,
                ])
        }
    }

    func changeCarrier(_ key: String, _ tracking: StoredTracking, to carrier: String) throws -> Bool {
        guard let account = try accountNumber(key) else { return false }
        try db.execute(
            sql: "UPDATE OR IGNORE tracking SET carrier_code = ? WHERE account = ? AND tracking_number = ? AND carrier_code = ?",
            arguments: [carrier, account, tracking.trackingNumber, tracking.carrierCode])
        return db.changesCount == 1
    }

    func delete(_ key: String, carrier: String, number: String) throws -> Bool {
        guard let account = try accountNumber(key) else { return false }
        try db.execute(
            sql: "DELETE FROM tracking WHERE account = ? AND carrier_code = ? AND tracking_number = ?",
            arguments: [account, carrier, number])
        return db.changesCount == 1
    }

    func list(_ key: String, _ f: ListFilter, page: Int, limit: Int) throws -> (total: Int, items: [StoredTracking]) {
        guard let account = try accountNumber(key) else { return (0, []) }
        var conditions = ["account = ?"]
        var values: [any DatabaseValueConvertible] = [account]
        func add(_ sql: String, _ value: (any DatabaseValueConvertible)?) {
            guard let value else { return }
            conditions.append(sql)
            values.append(value)
        }
        add("status = ?", f.status)
        add("created_at >= ?", f.createdMin)
        add("created_at <= ?", f.createdMax)
        add("updated_at >= ?", f.updatedMin)
        add("updated_at <= ?", f.updatedMax)
        add("order_created_at >= ?", f.orderMin)
        add("order_created_at <= ?", f.orderMax)
        add("archived = ?", f.archived)
        if !f.numbers.isEmpty {
            conditions.append("tracking_number IN (" + f.numbers.map { _ in "?" }.joined(separator: ",") + ")")
            values += f.numbers as [any DatabaseValueConvertible]
        }
        if !f.orders.isEmpty {
            conditions.append("order_id IN (" + f.orders.map { _ in "?" }.joined(separator: ",") + ")")
            values += f.orders as [any DatabaseValueConvertible]
        }
        let whereClause = conditions.joined(separator: " AND ")
        // Any page is allowed, as by the API; one past every row is an empty page, not an overflow.
        let (product, overflow) = (page - 1).multipliedReportingOverflow(by: limit)
        let offset = overflow ? Int.max : product
        let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tracking WHERE \(whereClause)", arguments: StatementArguments(values)) ?? 0
        let items = try ColumnCursor.fetchAll(
            db.makeStatement(sql: "SELECT \(SQLiteStore.trackingColumns) FROM tracking WHERE \(whereClause) ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?"),
            arguments: StatementArguments(values + [limit, offset]), read: tracking)
        return (total, items)
    }

    func all(_ key: String) throws -> [StoredTracking] {
        guard let account = try accountNumber(key) else { return [] }
        return try ColumnCursor.fetchAll(
            db.cachedStatement(sql: "SELECT \(SQLiteStore.trackingColumns) FROM tracking WHERE account = ? ORDER BY created_at DESC, rowid DESC"),
            arguments: [account], read: tracking)
    }

    func reset(_ key: String) throws {
        var a = try account(key)
        if let account = try accountNumber(key) {
            try db.execute(sql: "DELETE FROM tracking WHERE account = ?", arguments: [account])
        }
        (a.clock, a.quota, a.remoteCalls) = (Choices.epoch, a.granted, 0)
        try save(key, a)
    }

    func recordLesson(_ key: String, _ l: LessonRecord) throws {
        // A done lesson stays done when it is taken again.
        try db.execute(
            sql: """
                INSERT INTO lesson (key, lesson, title, state, at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key, lesson) DO UPDATE SET title = excluded.title, at = excluded.at,
                    state = CASE WHEN lesson.state = 'done' THEN 'done' ELSE excluded.state END
                """,
            arguments: [key, l.lesson, l.title, l.state, l.at])
    }

    func lessons(_ key: String) throws -> [LessonRecord] {
        try Row.fetchAll(db, sql: "SELECT lesson, title, state, at FROM lesson WHERE key = ? ORDER BY lesson", arguments: [key]).map {
            LessonRecord(lesson: $0[0], title: $0[1], state: $0[2], at: $0[3])
        }
    }
}

extension SQLiteStore {
    // MARK: Rows

    /// The columns `account(_:from:)` reads, in its order.
    static let accountColumns = ["clock", "quota", "granted", "registered_at", "remote_calls", "live_limits"]
    /// An account by its key.
    static let accountSQL = "SELECT \(accountColumns.joined(separator: ", ")) FROM account WHERE key = ?"
    /// Whether a key is active, and its account's number and account when it has one, in one statement.
    static let keyStateSQL = """
        SELECT k.revoked = 0, a.key IS NOT NULL, a.id, \(accountColumns.map { "a." + $0 }.joined(separator: ", "))
        FROM api_key k LEFT JOIN account a ON a.key = k.hash WHERE k.hash = ?
        """

    /// An account from the `accountColumns` of a row, starting at column `first`.
    static func account<Element>(_ c: ColumnCursor<Element>.Columns, from first: CInt) throws -> Account {
        Account(
            clock: try c.int(first), quota: try c.int(first + 1), granted: try c.int(first + 2), registeredAt: try c.int(first + 3),
            remoteCalls: try c.int(first + 4), liveLimits: try c.bool(first + 5))
    }

    /// The columns an insert of a tracking gives, in the order `insert` binds them.
    static let insertedColumns = [
        "account", "id", "carrier_code", "tracking_number", "created_at", "updated_at", "status", "status_override", "archived",
        "tracked", "frozen_at", "order_id", "order_created_at", "fields",
    ]

    /// Inserts `count` trackings in one statement, ignoring those whose number and carrier are
    /// taken (`returning`: and returns the number and carrier of each row stored). One
    /// statement, not one for each row: its cursors stay where the last row went, so the next
    /// row of the batch (the same account and time) mostly needs no search down the indexes,
    /// and statement set-up and tear-down are paid once. For 10,000 creates in batches of 40
    /// that took SQLite's part of tms serve's writer from 374 M instructions to 240 M. Made
    /// once for each count up to a batch's limit.
    static func insertTrackingsSQL(_ count: Int, returning: Bool = false) -> String {
        guard !returning, count <= insertTrackingsSQLs.count else { return makeInsertTrackingsSQL(count, returning: returning) }
        return insertTrackingsSQLs[count - 1]
    }

    /// For 1 to 40 rows.
    private static let insertTrackingsSQLs: [String] = {
        guard case .array(_, let limit) = Catalog.endpoint(.batch).body else { return [] }
        return (1...limit).map { makeInsertTrackingsSQL($0, returning: false) }
    }()

    private static func makeInsertTrackingsSQL(_ count: Int, returning: Bool) -> String {
        let row = "(" + Array(repeating: "?", count: insertedColumns.count).joined(separator: ", ") + ")"
        return """
            INSERT OR IGNORE INTO tracking (\(insertedColumns.joined(separator: ", ")))
            VALUES \(Array(repeating: row, count: count).joined(separator: ", "))
            """ + (returning ? " RETURNING tracking_number, carrier_code" : "")
    }

    /// The columns `tracking(_:)` reads, in its order: a row is read by position, since
    /// looking a column up by name compares names case-insensitively for every field.
    static let trackingColumns = """
        id, carrier_code, tracking_number, created_at, fields, archived, status_override, tracked, frozen_at, status, \
        updated_at, order_created_at
        """

}
