import TrackingMore

/// Turns values into the text a person or a program reads: tables that fit the terminal,
/// records as field/value rows, scalars as themselves, or JSON, JSON lines and CSV.
public struct Renderer: Sendable {
    public var format: Interpreter.Settings.OutputFormat
    public var width: Int
    public var color: Bool

    public init(format: Interpreter.Settings.OutputFormat = .table, width: Int = 120, color: Bool = false) {
        self.format = format
        self.width = min(max(20, width), 1 << 30)
        self.color = color
    }

    public init(settings: Interpreter.Settings) {
        self.init(format: settings.outputFormat, width: settings.width, color: settings.color)
    }

    /// The most columns a table shows; the others are named in its last line.
    static let maxColumns = 100

    /// The columns a tracking table shows by default: the catalog's (`Catalog.trackingObject`).
    public static let trackingColumns = Catalog.trackingObject.columns

    /// The text of a value, ending with a newline (empty for null).
    public func render(_ value: Value) -> String {
        switch format {
        case .json: return value.prettyText + "\n"
        case .jsonl:
            if case .list(let items) = value { return DataFormat.write(items, as: .jsonl) }
            return value.compactText + "\n"
        case .csv:
            if case .list(let items) = value { return CSVWriter.table(items) }
            if case .record = value { return CSVWriter.table([value]) }
            return CSVWriter.cell(value) + "\n"
        case .table:
            return text(value)
        }
    }

    func text(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .string(let s): return s.hasSuffix("\n") ? s : s + "\n"
        case .record(let r): return recordTable(r)
        case .list(let items):
            // Nothing to show: e.g. the results of `each { print ... }`.
            if items.allSatisfy(\.isNull) { return "" }
            let records = items.compactMap(\.recordValue)
            if records.count == items.count { return table(records) }
            if items.contains(where: { $0.recordValue != nil || $0.listValue != nil }) {
                // Mixed lists: one row per item, with its index.
                let rows = items.enumerated().map { Record([("#", .int($0.offset)), ("value", $0.element)]) }
                return table(rows)
            }
            return items.map { cell($0, limit: Int.max) + "\n" }.joined()
        default:
            return value.compactText + "\n"
        }
    }

    /// A record as two columns, field and value.
    func recordTable(_ r: Record) -> String {
        let rows = r.pairs.map { Record([("field", .string($0.0)), ("value", $0.1)]) }
        return table(rows, header: false)
    }

    /// Every field of any record, in order of first appearance.
    static func columns(of records: [Record]) -> [String] {
        var seen = Set<String>()
        var columns: [String] = []
        for r in records {
            for k in r.keys where seen.insert(k).inserted { columns.append(k) }
        }
        return columns
    }

    /// A table of records that fits `width`: the widest columns give way first, and a cell
    /// cut short ends in "…". Columns that cannot fit at all are named in a last line.
    public func table(_ records: [Record], header: Bool = true) -> String {
        var columns = Renderer.columns(of: records)
        // Whole trackings (as the API sends them, dozens of fields) show their usual columns;
        // records a user shaped with select show all of theirs.
        if header, records.allSatisfy({ $0.count > 8 && $0["tracking_number"] != nil && $0["carrier_code"] != nil }) {
            let all = Set(columns)
            columns = Renderer.trackingColumns.filter { all.contains($0) }
        }
        // No more columns than the width could ever show (each takes at least 6 + 3), and one
        // more so that they still shrink to their least before the last is dropped; and never
        // more than 100, even piped, where the width is unlimited: a table of thousands of
        // distinct fields renders in time linear in its input.
        let excess = columns.count - min(columns.count, Renderer.maxColumns, max(1, width / 9) + 1)
        var unshowable: [String] = []
        if excess > 0 {
            unshowable = Array(columns.suffix(excess))
            columns.removeLast(excess)
        }
        // A cell longer than the whole width is cut (by `fit`, which marks the cut with "…").
        let cells = records.map { r in columns.map { c in cell(r[c] ?? .null, limit: width + 1) } }
        var widths = columns.enumerated().map { i, c in
            max(header ? displayWidth(Renderer.visible(c)) : 0, cells.map { displayWidth($0[i]) }.max() ?? 0)
        }
        let separator = 3
        var shown = columns.count
        func total() -> Int { widths.prefix(shown).reduce(0, +) + separator * max(0, shown - 1) }
        let minimum = 6
        while total() > width {
            // Shrink the widest column that can still give way; when none can, drop the last.
            if let i = (0..<shown).filter({ widths[$0] > minimum }).max(by: { widths[$0] < widths[$1] }) {
                widths[i] -= 1
            } else if shown > 1 {
                shown -= 1
            } else {
                break
            }
        }
        var out = ""
        func line(_ texts: [String], numeric: [Bool], paint: [String?]) {
            var parts: [String] = []
            for i in 0..<shown {
                var t = fit(texts[i], widths[i])
                let pad = String(repeating: " ", count: widths[i] - displayWidth(t))
                if let code = paint[i], color { t = "\u{1B}[\(code)m\(t)\u{1B}[0m" }
                parts.append(numeric[i] ? pad + t : (i == shown - 1 ? t : t + pad))
            }
            out += parts.joined(separator: " | ") + "\n"
        }
        if header {
            line(columns.map(Renderer.visible), numeric: Array(repeating: false, count: columns.count), paint: Array(repeating: nil, count: columns.count))
            out += (0..<shown).map { String(repeating: "-", count: widths[$0]) }.joined(separator: "-+-") + "\n"
        }
        for (row, r) in zip(cells, records) {
            // Numbers line up on the right in a column of numbers; a record's value column mixes kinds.
            let numeric = columns.map { header && (r[$0]?.isNumber ?? false) }
            let paint = columns.map { c -> String? in c == "status" ? r[c]?.stringValue.flatMap(Renderer.statusColor) : nil }
            line(row, numeric: numeric, paint: paint)
        }
        if shown < columns.count || !unshowable.isEmpty {
            let hidden = Array(columns[shown...]) + unshowable
            let named = hidden.prefix(20).map(Renderer.visible).joined(separator: ", ") + (hidden.count > 20 ? ", …" : "")
            out += "… \(hidden.count) more column\(hidden.count == 1 ? "" : "s") not shown: \(named) (use select, or --output json)\n"
        }
        return out
    }

    /// The ANSI colour of a status word, by the catalog's `TrackingStatus.outcome`: done
    /// green, moving cyan, a problem red, waiting yellow; nil for a word that is not a status.
    static func statusColor(_ status: String) -> String? {
        switch TrackingStatus(rawValue: status)?.outcome {
        case .done: return "32"
        case .moving: return "36"
        case .problem: return "31"
        case .waiting: return "33"
        case nil: return nil
        }
    }

    /// The text of one table cell: nested values are summarised, line breaks shown as `↵`.
    func cell(_ v: Value, limit: Int) -> String {
        let s: String
        switch v {
        case .null: s = ""
        case .string(let t): s = Renderer.visible(t)
        case .list(let l): s = l.isEmpty ? "[]" : "[\(l.count) item\(l.count == 1 ? "" : "s")]"
        case .record(let r): s = r.isEmpty ? "{}" : "{\(r.count) field\(r.count == 1 ? "" : "s")}"
        default: s = v.compactText
        }
        return s.count > limit ? String(s.prefix(limit)) : s
    }

    /// Text safe to send to a terminal: a line break shows as `↵`, a tab as a blank, and every
    /// other control character (C0, DEL, C1: escape sequences start with them) as `\u{1B}`,
    /// so data can neither move the cursor nor recolour or retitle the terminal.
    static func visible(_ t: String) -> String {
        let safe = t.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != 0xC2 }
        if safe { return t }
        var out = ""
        for c in t {
            if c == "\n" || c == "\r\n" || c == "\r" {
                out += "↵"
                continue
            }
            for u in c.unicodeScalars {
                switch u.value {
                case 0x09: out += " "
                case 0x00..<0x20, 0x7F, 0x80...0x9F: out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
                default: out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// The text cut to `width` columns, ending in "…" when cut.
    func fit(_ s: String, _ width: Int) -> String {
        guard displayWidth(s) > width else { return s }
        var out = ""
        var used = 0
        for c in s {
            let w = characterWidth(c)
            if used + w > width - 1 { break }
            out.append(c)
            used += w
        }
        return out + "…"
    }
}

/// Columns a string takes in a terminal: East Asian wide characters and most emoji take two,
/// combining marks none.
public func displayWidth(_ s: String) -> Int {
    var w = 0
    for c in s { w += characterWidth(c) }
    return w
}

func characterWidth(_ c: Character) -> Int {
    guard let scalar = c.unicodeScalars.first else { return 0 }
    let v = scalar.value
    if v < 0x1100 { return v < 0x20 ? 0 : 1 }
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
        return 2
    default:
        return 1
    }
}
