import TrackingMore

/// The file and stream formats records are read from and written to.
public enum DataFormat: String, Sendable {
    case json, jsonl, csv

    /// The format a file name says, if it says one.
    public static func from(path: String) -> DataFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".json") { return .json }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".csv") { return .csv }
        return nil
    }

    /// Reads records lazily, a chunk of the file at a time: a JSON array item by item, JSON
    /// lines value by value, CSV row by row, so memory does not grow with the file. A JSON
    /// document that is not an array is one value, read whole. Without a format, it is
    /// guessed from the data: a JSON document, JSON lines (several values), or else CSV.
    /// Errors name the data by the window's name and point at `span`, when given.
    static func read(_ window: ByteWindow, format: DataFormat?) throws -> PipelineValue {
        switch format {
        case .csv?:
            var reader = CSVRecords(window)
            return .stream(ValueStream { try reader.next() })
        case .jsonl?:
            var reader = JSONRecords(window, format: .jsonl)
            return .stream(ValueStream {
                guard try reader.peek() != nil else { return nil }
                return try reader.value()
            })
        case .json?:
            var reader = JSONRecords(window, format: .json)
            if try reader.peek() == UInt8(ascii: "[") {
                window.start += 1
                return .stream(ValueStream { try reader.nextElement() })
            }
            return try reader.document()
        case nil:
            var reader = JSONRecords(window, format: .json)
            switch try reader.peek() {
            case nil, UInt8(ascii: "[")?: return try read(window, format: .json)
            case UInt8(ascii: "{")?, UInt8(ascii: "\"")?:
                // One value is JSON; several are JSON lines; a broken first value is reported as JSON.
                return try read(window, format: (try? reader.followedByMore()) == true ? .jsonl : .json)
            default: return try read(window, format: .csv)
            }
        }
    }

    /// The text of values in this format. A stream of records is a JSON array, one line per
    /// record, or a CSV table.
    static func write(_ items: [Value], as format: DataFormat) -> String {
        switch format {
        case .json: return JSON.list(items).prettyText + "\n"
        case .jsonl: return items.map { $0.compactText + "\n" }.joined()
        case .csv: return CSVWriter.table(items)
        }
    }
}

/// JSON values read from a `ByteWindow`: the elements of an array, JSON lines, or one
/// document. A value that runs past what has been read is parsed again once more is read.
struct JSONRecords {
    let window: ByteWindow
    let format: DataFormat
    var reader: JSONReader
    var first = true

    init(_ window: ByteWindow, format: DataFormat) {
        self.window = window
        self.format = format
        reader = JSONReader(window.bytes)
        // Errors are placed in the whole file by `failure`, from the window's own line count.
        reader.locatesErrors = false
    }

    /// The next byte that is not whitespace (`window.start` is moved to it), reading more as
    /// needed; nil at the end of the data.
    mutating func peek() throws -> UInt8? {
        while true {
            let b = window.bytes
            var i = window.start
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
            window.start = i
            if i < b.count { return b[i] }
            guard try window.refill() else { return nil }
        }
    }

    /// Parses the value at `window.start` and moves past it.
    mutating func value() throws -> JSON {
        let (v, end) = try parse()
        window.start = end
        return v
    }

    /// The value at `window.start` and where it ends; `window.start` stays at its beginning.
    /// A parse that fails or ends at the edge of what is read may be cut short by the chunk,
    /// so then more is read and the value parsed again.
    private mutating func parse() throws -> (JSON, Int) {
        while true {
            reader.rebase(window.bytes, position: window.start)
            switch attempt() {
            case .success(let v):
                // A number at the very end may go on in the next chunk.
                if reader.position >= window.count, try window.refill() { continue }
                return (v, reader.position)
            case .failure(let error):
                // Truncation shows within a few bytes of the end (a \\u escape needs 4, `false` 5).
                let offset = window.dropped + error.offset
                if error.offset >= window.count - 8, try window.refill() { continue }
                throw failure(error.message, at: offset)
            }
        }
    }

    private mutating func attempt() -> Result<JSON, JSONParseError> {
        do throws(JSONParseError) {
            return .success(try reader.parseValue())
        } catch {
            return .failure(error)
        }
    }

    /// True when more than one value follows (JSON lines); false for a single document.
    mutating func followedByMore() throws -> Bool {
        var (_, end) = try parse()
        while true {
            let b = window.bytes
            while end < b.count, b[end] == 0x20 || b[end] == 0x0A || b[end] == 0x0D || b[end] == 0x09 { end += 1 }
            if end < b.count { return true }
            let shift = window.start
            guard try window.refill() else { return false }
            end -= shift
        }
    }

    /// The next element of the array whose `[` is behind `window.start`, or nil after its `]`.
    mutating func nextElement() throws -> JSON? {
        guard let b = try peek() else { throw failure("unexpected end of JSON: unclosed '['", at: window.dropped + window.start) }
        if b == UInt8(ascii: "]") {
            window.start += 1
            if try peek() != nil { throw failure("unexpected text after the JSON value", at: window.dropped + window.start) }
            return nil
        }
        if !first {
            guard b == UInt8(ascii: ",") else { throw failure("expected ',' or ']' in array", at: window.dropped + window.start) }
            window.start += 1
        }
        first = false
        return try value()
    }

    /// A whole document that is not an array: one value.
    mutating func document() throws -> PipelineValue {
        guard try peek() != nil else { return .null }
        let v = try value()
        if try peek() != nil { throw failure("unexpected text after the JSON value", at: window.dropped + window.start) }
        return .value(v)
    }

    /// An error at `offset` in the whole data.
    func failure(_ message: String, at offset: Int) -> TMSError {
        let (line, column) = window.line(at: offset)
        let kind = format == .jsonl ? "JSON lines" : "JSON"
        return TMSError(.badData(window.span, "\(window.name) is not valid \(kind): \(message) at line \(line), column \(column)"))
    }
}

/// Reads RFC 4180 CSV with a header row into records, a row at a time from a `ByteWindow`.
/// Numbers written canonically and `true`/`false` become numbers and bools, everything
/// else stays text.
struct CSVRecords {
    struct Failure: Error {
        let message: String
        let line: Int
    }

    /// A row ran past what has been read.
    struct Short: Error {}

    let window: ByteWindow
    var line = 1
    var header: [String]?
    var started = false

    init(_ window: ByteWindow) {
        self.window = window
    }

    mutating func next() throws -> Value? {
        do {
            return try nextRecord()
        } catch let e as Failure {
            throw TMSError(.badData(window.span, "\(window.name) is not valid CSV: \(e.message) on line \(e.line)"))
        }
    }

    mutating func nextRecord() throws -> Value? {
        if !started {
            started = true
            // Skip a UTF-8 byte order mark.
            while window.count < 3, try window.refill() {}
            let b = window.bytes
            if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { window.start = 3 }
        }
        if header == nil {
            guard let h = try row(CSVRecords.text) else { return nil }
            var seen = Set<String>()
            for name in h where !seen.insert(name).inserted {
                throw Failure(message: "the header names '\(name)' twice", line: 1)
            }
            header = h
        }
        guard let header else { return nil }
        while let row = try row(CSVRecords.value) {
            if row.count == 1 && row[0] == .string("") { continue }  // a blank line
            guard row.count == header.count else {
                throw Failure(message: "\(row.count) fields where the header has \(header.count)", line: line - 1)
            }
            return .record(Record(uniqueKeys: header, values: row))
        }
        return nil
    }

    /// A cell's value: `true`, `false`, a number written canonically (an integer too large
    /// for 64 bits stays text: it is surely an identifier), or else its text. Read from the
    /// cell's bytes, so that a number or a word never becomes a string first (every cell of a
    /// bulk file comes through here).
    static func value(_ cell: UnsafeBufferPointer<UInt8>, line: Int) throws(Failure) -> Value {
        switch cell.first ?? 0 {
        case UInt8(ascii: "t") where cell.elementsEqual("true".utf8): return .bool(true)
        case UInt8(ascii: "f") where cell.elementsEqual("false".utf8): return .bool(false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): if let n = JSON.number(utf8: cell) { return n }
        default: break
        }
        return .string(try text(cell, line: line))
    }

    /// The next row, each cell made by `make`; a row cut short by the end of a chunk is read
    /// again after a refill.
    mutating func row<Cell>(_ make: (UnsafeBufferPointer<UInt8>, Int) throws(Failure) -> Cell) throws -> [Cell]? {
        while true {
            let before = line
            do {
                return try rowInWindow(make)
            } catch is Short {
                line = before
                try window.refill()
            }
        }
    }

    private mutating func rowInWindow<Cell>(_ make: (UnsafeBufferPointer<UInt8>, Int) throws(Failure) -> Cell) throws -> [Cell]? {
        let bytes = window.bytes
        var position = window.start
        guard position < bytes.count else {
            if window.atEnd { return nil }
            throw Short()
        }
        var fields: [Cell] = []
        fields.reserveCapacity(header?.count ?? 0)
        // An unquoted field is one run of the window, made into a string as it stands; a
        // quoted one is copied into a buffer (kept for the next), without its quotes.
        var run = position..<position
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        let startLine = line
        while position < bytes.count {
            let b = bytes[position]
            position += 1
            if b == 0 { throw Failure(message: "a NUL byte (binary data, not text)", line: line) }
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if position == bytes.count && !window.atEnd { throw Short() }
                    if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                        field.append(b)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if b == 0x0A { line += 1 }
                    // The bytes up to the next one that means something here, at once.
                    let from = position - 1
                    position = bytes.firstByte(from: position, UInt8(ascii: "\""), 0x0A, 0x0A, below: 1, nonASCII: false)
                    field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<position]))
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                guard field.isEmpty && run.isEmpty && !wasQuoted else {
                    throw Failure(message: "a quote in the middle of an unquoted field", line: line)
                }
                quoted = true
                wasQuoted = true
            case UInt8(ascii: ","):
                fields.append(try cell(bytes, run, field, make))
                run = position..<position
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
            case 0x0D where position == bytes.count && !window.atEnd:
                throw Short()
            case 0x0D where position < bytes.count && bytes[position] == 0x0A:
                break
            case 0x0A:
                line += 1
                fields.append(try cell(bytes, run, field, make))
                window.start = position
                return fields
            default:
                if wasQuoted { throw Failure(message: "text after a closing quote", line: line) }
                let from = position - 1
                while position < bytes.count, CSVRecords.isPlainUnquoted(bytes[position]) { position += 1 }
                // Only a lone \r (kept as text) stops a run inside a field, and it joins the
                // run: the field's text is one run.
                run = (run.isEmpty ? from : run.lowerBound)..<position
            }
        }
        if !window.atEnd { throw Short() }
        if quoted { throw Failure(message: "a quoted field is not closed", line: startLine) }
        fields.append(try cell(bytes, run, field, make))
        window.start = position
        return fields
    }

    /// A byte that is only text outside quotes: the loop above would append it and go on.
    private static func isPlainUnquoted(_ b: UInt8) -> Bool {
        b != UInt8(ascii: ",") && b != UInt8(ascii: "\"") && b != 0x0A && b != 0x0D && b != 0
    }

    /// A field's cell, made from the run of `bytes` when it was unquoted, else from the buffer.
    func cell<Cell>(
        _ bytes: UnsafeBufferPointer<UInt8>, _ run: Range<Int>, _ field: [UInt8], _ make: (UnsafeBufferPointer<UInt8>, Int) throws(Failure) -> Cell
    ) throws(Failure) -> Cell {
        if !run.isEmpty { return try make(UnsafeBufferPointer(rebasing: bytes[run]), line) }
        return try field.withUnsafeBufferPointer { buffer throws(Failure) in try make(buffer, line) }
    }

    static func text(_ buffer: UnsafeBufferPointer<UInt8>, line: Int) throws(Failure) -> String {
        // ASCII, the common case, needs no validation pass of its own (String(validating:)
        // is not specialized: it looks up generic metadata on every call).
        if !buffer.contains(where: { $0 >= 0x80 }) { return String(decoding: buffer, as: UTF8.self) }
        guard let s = String(validating: buffer, as: UTF8.self) else { throw Failure(message: "invalid UTF-8", line: line) }
        return s
    }
}

enum CSVWriter {
    /// A CSV table: one column per field seen in any record, in order of first appearance.
    static func table(_ items: [Value]) -> String {
        let records = items.map { item -> Record in
            if case .record(let r) = item { return r }
            return Record([("value", item)])
        }
        let columns = Renderer.columns(of: records)
        var out = columns.map(quote).joined(separator: ",") + "\n"
        for r in records {
            out += columns.map { c in quote(cell(r[c] ?? .null)) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func cell(_ v: Value) -> String {
        switch v {
        case .null: return ""
        case .string(let s): return s
        default: return v.compactText
        }
    }

    static func quote(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
            || s.hasPrefix(" ") || s.hasSuffix(" ")
        else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }
}
