/// Writes a JSON value as block-style YAML: records as `key: value` lines, lists as `- item`
/// lines, indented by two spaces. Records keep their order, so the same value always gives
/// the same text. A string is written plain when YAML (1.1 or 1.2) reads it back as the same
/// string, else double-quoted with JSON's escapes (which YAML reads the same).
public enum YAML {
    public static func text(_ value: JSON) -> String {
        var out = ""
        switch value {
        case .record(let r) where !r.isEmpty: writeRecord(r, indent: 0, to: &out)
        case .list(let l) where !l.isEmpty: writeList(l, indent: 0, to: &out)
        default: out += scalar(value) + "\n"
        }
        return out
    }

    /// Whether a value is written on the line of its key (scalars and empty collections).
    private static func inline(_ v: JSON) -> Bool {
        switch v {
        case .record(let r): return r.isEmpty
        case .list(let l): return l.isEmpty
        default: return true
        }
    }

    private static func writeRecord(_ r: Record, indent: Int, to out: inout String, firstLineIndented: Bool = true) {
        let pad = String(repeating: " ", count: indent)
        for (i, (k, v)) in r.pairs.enumerated() {
            if i > 0 || firstLineIndented { out += pad }
            out += string(k) + ":"
            writeValue(v, indent: indent, to: &out)
        }
    }

    private static func writeList(_ l: [JSON], indent: Int, to out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for v in l {
            out += pad + "-"
            switch v {
            case .record(let r) where !r.isEmpty:
                // The record's first key on the dash's line, the others under it.
                out += " "
                writeRecord(r, indent: indent + 2, to: &out, firstLineIndented: false)
            case .list(let inner) where !inner.isEmpty:
                out += "\n"
                writeList(inner, indent: indent + 2, to: &out)
            default:
                out += " " + scalar(v) + "\n"
            }
        }
    }

    /// After `key:`: a scalar on the same line, a collection on the lines below (a short list
    /// of scalars as `[a, b]`), a text of several lines as a literal block.
    private static func writeValue(_ v: JSON, indent: Int, to out: inout String) {
        if case .string(let s) = v, let lines = literalLines(s) {
            out += " |-\n"
            let pad = String(repeating: " ", count: indent + 2)
            for line in lines { out += line.isEmpty ? "\n" : pad + line + "\n" }
            return
        }
        if case .list(let items) = v, let flow = flowList(items), indent + flow.count < 100 {
            out += " " + flow + "\n"
            return
        }
        if inline(v) {
            out += " " + scalar(v) + "\n"
            return
        }
        out += "\n"
        switch v {
        case .record(let r): writeRecord(r, indent: indent + 2, to: &out)
        case .list(let l): writeList(l, indent: indent + 2, to: &out)
        default: break
        }
    }

    /// The lines of a text written as a literal block (`|-`), or nil when it must be quoted:
    /// a block keeps every character as it is, so only texts of printable lines, none
    /// starting or ending with a blank, without a final newline.
    private static func literalLines(_ s: String) -> [String]? {
        guard s.contains("\n"), !s.hasSuffix("\n") else { return nil }
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, !first.isEmpty else { return nil }
        for line in lines {
            if line.hasPrefix(" ") || line.hasSuffix(" ") { return nil }
            if line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return nil }
        }
        return lines
    }

    /// `[a, b, "c"]` for a non-empty list of scalars whose plain forms mean nothing in a flow.
    private static func flowList(_ items: [JSON]) -> String? {
        guard !items.isEmpty else { return nil }
        var parts: [String] = []
        for item in items {
            switch item {
            case .record, .list: return nil
            default:
                let text = scalar(item)
                if !text.hasPrefix("\""), text.unicodeScalars.contains(where: { ",[]{}#:".unicodeScalars.contains($0) }) { return nil }
                parts.append(text)
            }
        }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    private static func scalar(_ v: JSON) -> String {
        switch v {
        case .null: return "null"
        case .string(let s): return string(s)
        case .record: return "{}"
        case .list: return "[]"
        default: return v.compactText
        }
    }

    /// Words YAML 1.1 reads as booleans or null.
    private static let special: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]

    /// A string, plain when that reads back as the same string.
    static func string(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last else { return "\"\"" }
        let letterFirst = (first >= "A" && first <= "Z") || (first >= "a" && first <= "z") || first == "/" || first == "_" || first == "$"
        // Inside a plain string these mean nothing in block style; `: ` and ` #` would.
        let safe = s.unicodeScalars.allSatisfy { c in
            (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9")
                || " _-./(),;$+=<>~'`\"!%@&*?|[]{}:#".unicodeScalars.contains(c)
        }
        let marks = s.contains(": ") || s.contains(" #") || last == ":"
        if letterFirst, safe, !marks, last != " ", !special.contains(s.lowercased()) { return s }
        var out = ""
        JSON.writeQuoted(s, to: &out)
        return out
    }
}
