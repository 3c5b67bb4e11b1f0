/// Renders diagnostics in the rustc layout:
///
/// ```
/// error[E0201]: unknown verb 'gett'
///   --> orders.tms:3:1
///    |
///  3 | gett sto 402934299065
///    | ^^^^ not a verb
///    |
///    = help: did you mean 'get'?
/// ```
///
/// Colour is added last and only when asked for.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool
    /// Source lines longer than this are shown as a window around the span.
    public var maxLineWidth = 120

    public init(color: Bool = false) {
        self.color = color
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    public func render(_ d: Diagnostic) -> String {
        var out = ""
        let head = d.severity == .note ? "note" : "\(d.severity.rawValue)[\(d.code)]"
        out += paint(head, d.severity == .error ? "1;31" : d.severity == .warning ? "1;33" : "1;36")
        out += paint(": \(d.message)", "1") + "\n"

        let labels = ([d.primary].compactMap { $0 }.map { ($0, true) }) + d.secondary.map { ($0, false) }
        let lines = labels.map { $0.0.span.file.location(of: $0.0.span.start).line }
        let gutterWidth = String(lines.max() ?? 1).count
        let pad = String(repeating: " ", count: gutterWidth)

        var lastFile: SourceFile?
        for (label, isPrimary) in labels {
            let span = label.span
            let (line, column) = span.file.location(of: span.start)
            if lastFile !== span.file || isPrimary {
                out += pad + paint("--> ", "1;34") + "\(span.file.name):\(line):\(column)\n"
                lastFile = span.file
            }
            out += pad + paint(" |", "1;34") + "\n"
            let (shown, caretStart, caretWidth) = window(span, line: line)
            let number = String(line)
            out += String(repeating: " ", count: gutterWidth - number.count) + paint(number + " |", "1;34")
            out += shown.isEmpty ? "\n" : " " + shown + "\n"
            let marker = String(repeating: isPrimary ? "^" : "-", count: caretWidth)
            var underline = String(repeating: " ", count: caretStart) + marker
            if !label.message.isEmpty { underline += " " + label.message }
            out += pad + paint(" |", "1;34") + " " + paint(underline, isPrimary ? "1;31" : "1;34") + "\n"
        }
        if !d.notes.isEmpty || d.help != nil {
            if !labels.isEmpty { out += pad + paint(" |", "1;34") + "\n" }
            for note in d.notes { out += pad + " = " + paint("note", "1") + ": " + note + "\n" }
            if let help = d.help { out += pad + " = " + paint("help", "1") + ": " + help + "\n" }
        }
        return out
    }

    /// The text of a span's first line (tabs as spaces, control bytes shown as `?`), cut to a
    /// window when long, with the caret position and width in characters.
    func window(_ span: Span, line: Int) -> (String, Int, Int) {
        let file = span.file
        let lineStart = file.lineStarts[line - 1]
        let bytes = file.lineBytes(line)
        let chars = Array(String(decoding: bytes, as: UTF8.self).map { c -> Character in
            if c == "\t" { return " " }
            if let a = c.asciiValue, a < 0x20 || a == 0x7F { return "?" }
            return c
        })
        let startChar = String(decoding: file.bytes[lineStart..<min(span.start, lineStart + bytes.count)], as: UTF8.self).count
        let spanEnd = min(span.end, lineStart + bytes.count)
        let endChar = String(decoding: file.bytes[lineStart..<max(min(span.start, lineStart + bytes.count), spanEnd)], as: UTF8.self).count
        var width = max(1, endChar - startChar)
        guard chars.count > maxLineWidth else {
            return (String(chars), startChar, width)
        }
        width = min(width, maxLineWidth / 2)
        let from = max(0, startChar - maxLineWidth / 3)
        let to = min(chars.count, from + maxLineWidth)
        var text = String(chars[from..<to])
        var caret = startChar - from
        if from > 0 {
            text = "…" + text
            caret += 1
        }
        if to < chars.count { text += "…" }
        return (text, caret, width)
    }

    func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
