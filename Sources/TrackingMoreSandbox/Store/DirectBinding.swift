import GRDB
import GRDBSQLite

/// Binds a statement's parameters in order straight through SQLite's C API
/// (`Statement.run(in:bind:row:)`).
struct DirectBinder {
    fileprivate let statement: Statement
    fileprivate let db: Database
    fileprivate var index: CInt = 1

    /// Binds text, or NULL; SQLite copies the bytes (`SQLITE_TRANSIENT`).
    mutating func text(_ s: String?) throws {
        guard let s else { return try null() }
        try check(s.withCString { sqlite3_bind_text(statement.sqliteStatement, index, $0, CInt(s.utf8.count), Self.transient) })
    }

    /// Binds an integer, or NULL.
    mutating func int(_ n: Int?) throws {
        guard let n else { return try null() }
        try check(sqlite3_bind_int64(statement.sqliteStatement, index, sqlite3_int64(n)))
    }

    private mutating func null() throws {
        try check(sqlite3_bind_null(statement.sqliteStatement, index))
    }

    private mutating func check(_ code: CInt) throws {
        guard code == SQLITE_OK else { throw statement.error(code, in: db) }
        index += 1
    }

    /// `SQLITE_TRANSIENT`, a C macro Swift does not import: SQLite copies the bytes.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

extension Statement {
    /// Runs this statement once with its parameters bound by `bind`, in order, straight through
    /// SQLite's C API, as `ColumnCursor` reads columns. GRDB's `execute(arguments:)` first makes
    /// each value a `DatabaseValue` and then binds those: for the 14 columns of a tracking row
    /// that was most of an insert's cost outside SQLite, and tms serve inserts 40 a batch while
    /// every other write waits. `row` is given each row the statement returns (`RETURNING`).
    /// The statement is reset after it ran, as GRDB leaves its statements.
    func run(in db: Database, bind: (inout DirectBinder) throws -> Void, row: ((ColumnCursor<Void>.Columns) throws -> Void)? = nil) throws {
        let statement = sqliteStatement
        sqlite3_reset(statement)
        var binder = DirectBinder(statement: self, db: db)
        var code: CInt
        do {
            try bind(&binder)
            // A parameter left unbound would be NULL in silence (or keep the last run's value).
            precondition(binder.index - 1 == sqlite3_bind_parameter_count(statement), "\(binder.index - 1) values bound for \(sqlite3_bind_parameter_count(statement)) parameters")
            code = sqlite3_step(statement)
            while code == SQLITE_ROW, let row {
                try row(ColumnCursor<Void>.Columns(statement: statement))
                code = sqlite3_step(statement)
            }
        } catch {
            sqlite3_reset(statement)
            throw error
        }
        let failure = code == SQLITE_DONE ? nil : error(code, in: db)  // before reset, which may change the message
        sqlite3_reset(statement)
        if let failure { throw failure }
    }

    /// The error SQLite gives (`sql` is worked out again at each call: only on failure).
    fileprivate func error(_ code: CInt, in db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
    }
}
