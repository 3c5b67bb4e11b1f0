import GRDB
import GRDBSQLite

/// A value bound straight through SQLite's C API (`Statement.run(binding:in:)`).
enum BoundValue {
    case text(String?)
    case int(Int?)
}

extension Statement {
    /// Runs this statement once with `values` bound in order straight through SQLite's C API,
    /// as `ColumnCursor` reads columns. GRDB's `execute(arguments:)` first makes each value a
    /// `DatabaseValue` and then binds those: for the 14 columns of a tracking row that was most
    /// of an insert's cost outside SQLite, and tms serve inserts 40 a batch while every other
    /// write waits. Strings are copied by SQLite (`SQLITE_TRANSIENT`). `row` is given each row
    /// the statement returns (`RETURNING`), to read with `sqlite3_column_*`. The statement is
    /// reset after it ran, as GRDB leaves its statements.
    func run(binding values: [BoundValue], in db: Database, row: ((OpaquePointer) throws -> Void)? = nil) throws {
        let statement = sqliteStatement
        sqlite3_reset(statement)
        for (i, value) in zip(CInt(1)..., values) {
            let code: CInt
            switch value {
            case .text(let s?):
                code = s.withCString { sqlite3_bind_text(statement, i, $0, CInt(s.utf8.count), Self.transient) }
            case .int(let n?):
                code = sqlite3_bind_int64(statement, i, sqlite3_int64(n))
            case .text(nil), .int(nil):
                code = sqlite3_bind_null(statement, i)
            }
            guard code == SQLITE_OK else { throw error(code, in: db) }
        }
        var code = sqlite3_step(statement)
        do {
            while code == SQLITE_ROW, let row {
                try row(statement)
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

    /// `SQLITE_TRANSIENT`, a C macro Swift does not import: SQLite copies the bytes.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func error(_ code: CInt, in db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
    }
}
