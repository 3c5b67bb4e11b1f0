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

    /// Guesses the format of data: a JSON document, JSON lines (several values one per
    /// line), or else CSV.
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> DataFormat {
        var i = 0
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        guard i < bytes.count else { return .json }
        let first = bytes[i]
        if first == UInt8(ascii: "[") { return .json }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "\"") {
            // One value is JSON; several are JSON lines; a broken first value is reported as JSON.
            var reader = JSONReader(bytes)
            if (try? reader.parseValue()) == nil || reader.atEnd { return .json }
            return .jsonl
        }
        return .csv
    }

    /// Reads records lazily: a JSON array item by item, JSON lines line by line, CSV row by row.
    /// `name` names the data in error messages (a file name or "stdin"); `span` is the
    /// argument that named it, when there is one.
    static func read(_ buffer: ByteBuffer, format: DataFormat?, name: String, span: Span?) -> PipelineValue {
        let format = format ?? detect(buffer.bytes)
        func failure(_ e: JSONParseError) -> TMSError {
            TMSError(.badData(span, "\(name) is not valid \(format == .jsonl ? "JSON lines" : "JSON"): \(e)"))
        }
        switch format {
        case .json:
            var reader = JSONReader(buffer.bytes)
            if reader.beginArray() {
                return .stream(ValueStream {
                    withExtendedLifetime(buffer) {}
                    do { return try reader.nextElement() } catch let e as JSONParseError { throw failure(e) }
                })
            }
            do {
                if reader.atEnd { return .null }
                return .value(try reader.parseDocument())
            } catch {
                return .stream(ValueStream { throw failure(error) })
            }
        case .jsonl:
            var reader = JSONReader(buffer.bytes)
            return .stream(ValueStream {
                withExtendedLifetime(buffer) {}
                if reader.atEnd { return nil }
                do { return try reader.parseValue() } catch let e as JSONParseError { throw failure(e) }
            })
        case .csv:
            var parser = CSVReader(buffer)
            return .stream(ValueStream {
                do { return try parser.nextRecord() } catch let e as CSVReader.Failure {
                    throw TMSError(.badData(span, "\(name) is not valid CSV: \(e.message) on line \(e.line)"))
                }
            })
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

/// Reads RFC 4180 CSV with a header row into records. Numbers written canonically and
/// `true`/`false` become numbers and bools, everything else stays text.
struct CSVReader {
    struct Failure: Error {
        let message: String
        let line: Int
    }

    let buffer: ByteBuffer
    var position = 0
    var line = 1
    var header: [String]?

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
        // Skip a UTF-8 byte order mark.
        let b = buffer.bytes
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { position = 3 }
    }

    mutating func nextRecord() throws(Failure) -> Value? {
        if header == nil {
            guard let h = try nextRow() else { return nil }
            var seen = Set<String>()
            for name in h where !seen.insert(name).inserted {
                throw Failure(message: "the header names '\(name)' twice", line: 1)
            }
            header = h
        }
        guard let header else { return nil }
        while let row = try nextRow() {
            if row.count == 1 && row[0].isEmpty { continue }  // a blank line
            guard row.count == header.count else {
                throw Failure(message: "\(row.count) fields where the header has \(header.count)", line: line - 1)
            }
            return .record(Record(uniqueKeys: header, values: row.map(CSVReader.value)))
        }
        return nil
    }

    static func value(_ text: String) -> Value {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        return JSON.number(fromWord: text) ?? .string(text)
    }

    mutating func nextRow() throws(Failure) -> [String]? {
        let bytes = buffer.bytes
        guard position < bytes.count else { return nil }
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        let startLine = line
        while position < bytes.count {
            let b = bytes[position]
            position += 1
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                        field.append(b)
                        position += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if b == 0x0A { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                guard field.isEmpty && !wasQuoted else {
                    throw Failure(message: "a quote in the middle of an unquoted field", line: line)
                }
                quoted = true
                wasQuoted = true
            case UInt8(ascii: ","):
                fields.append(try text(field))
                field = []
                wasQuoted = false
            case 0x0D where position < bytes.count && bytes[position] == 0x0A:
                break
            case 0x0A:
                line += 1
                fields.append(try text(field))
                return fields
            default:
                if wasQuoted { throw Failure(message: "text after a closing quote", line: line) }
                field.append(b)
            }
        }
        if quoted { throw Failure(message: "a quoted field is not closed", line: startLine) }
        fields.append(try text(field))
        return fields
    }

    func text(_ bytes: [UInt8]) throws(Failure) -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else { throw Failure(message: "invalid UTF-8", line: line) }
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
