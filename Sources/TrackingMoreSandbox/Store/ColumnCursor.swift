import GRDB
import Synchronization
import TrackingMore

/// Rows read straight from SQLite by column position. GRDB's `Row` builds a dictionary of its
/// lower-cased column names for every row fetched, which was most of the cost of reading one
/// tracking or account in tms serve; this cursor reads each column of the row SQLite is on
/// with GRDB's own `StatementColumnConvertible` decoders, through GRDB's statement stepping.
final class ColumnCursor<Element>: DatabaseCursor {
    let _statement: Statement
    var _isDone = false
    private let read: (Columns) throws -> Element

    /// The columns of the current row.
    struct Columns {
        let statement: SQLiteStatement

        func int(_ i: CInt) throws -> Int {
            guard let v = Int.fromStatement(statement, atUncheckedIndex: i) else { throw Malformed(column: i) }
            return v
        }

        func optionalInt(_ i: CInt) throws -> Int? {
            guard let v = Int?.fromStatement(statement, atUncheckedIndex: i) else { throw Malformed(column: i) }
            return v
        }

        func bool(_ i: CInt) throws -> Bool {
            guard let v = Bool.fromStatement(statement, atUncheckedIndex: i) else { throw Malformed(column: i) }
            return v
        }

        func string(_ i: CInt) throws -> String {
            guard let v = String.fromStatement(statement, atUncheckedIndex: i) else { throw Malformed(column: i) }
            return v
        }
    }

    /// A column holding NULL, or a value that is not of the column's type.
    struct Malformed: Error, CustomStringConvertible {
        let column: CInt
        var description: String { "column \(column) of a stored row is NULL or of the wrong type" }
    }

    init(_ statement: Statement, arguments: StatementArguments, read: @escaping (Columns) throws -> Element) throws {
        _statement = statement
        self.read = read
        // Resets the statement and binds the arguments, as GRDB's own cursors do.
        try statement.setArguments(arguments)
    }

    func _element(sqliteStatement: SQLiteStatement) throws -> Element {
        try read(Columns(statement: sqliteStatement))
    }

    /// The first row, if any; the statement is stepped to its end, so it is left done.
    static func fetchOne(_ statement: Statement, arguments: StatementArguments, read: @escaping (Columns) throws -> Element) throws -> Element? {
        let cursor = try ColumnCursor(statement, arguments: arguments, read: read)
        let first = try cursor.next()
        while try cursor.next() != nil {}
        return first
    }

    static func fetchAll(_ statement: Statement, arguments: StatementArguments, read: @escaping (Columns) throws -> Element) throws -> [Element] {
        try Array(ColumnCursor(statement, arguments: arguments, read: read))
    }
}

/// A tracking's fields (the JSON text of the `fields` column) as last parsed, so that reading
/// the same tracking again does not parse the same text again. Keyed by the text itself, so a
/// changed tracking is simply a different key.
final class ParsedFields: Sendable {
    private let records = Mutex<[String: TrackingMore.Record]>([:])
    /// Forgets everything past this many (a few MB at most).
    static let most = 4096

    func record(_ text: String) -> TrackingMore.Record {
        if let known = records.withLock({ $0[text] }) { return known }
        let record = (try? JSON.parse(text))?.recordValue ?? TrackingMore.Record()
        records.withLock { table in
            if table.count >= ParsedFields.most { table.removeAll() }
            table[text] = record
        }
        return record
    }
}
