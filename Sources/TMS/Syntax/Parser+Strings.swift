import TrackingMore

extension Parser {
    /// Decodes a `"..."` token: escapes, and `$name.path`, `${expr}` and `$(pipeline)`
    /// interpolations, each parsed with spans into the same source.
    mutating func parseString(_ t: Token) throws(Failure) -> Expression {
        let bytes = source.bytes
        var parts: [StringPart] = []
        var text: [UInt8] = []
        var i = t.start + 1
        let end = t.end - 1
        func flush() {
            if !text.isEmpty {
                parts.append(.text(String(decoding: text, as: UTF8.self)))
                text.removeAll()
            }
        }
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\\") {
                guard i + 1 < end else { throw report(.badEscape(Span(file: source, start: i, end: i + 1), "\\")) }
                let e = bytes[i + 1]
                switch e {
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "0"): text.append(0x00)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "$"), UInt8(ascii: "'"): text.append(e)
                case UInt8(ascii: "u"):
                    // \u{1F600}
                    var j = i + 2
                    guard j < end, bytes[j] == UInt8(ascii: "{") else {
                        throw report(.badEscape(Span(file: source, start: i, end: i + 2), "\\u"))
                    }
                    j += 1
                    var value: UInt32 = 0
                    var digits = 0
                    while j < end, let d = Hex.value(bytes[j]), digits < 8 {
                        value = value &* 16 &+ UInt32(d)
                        digits += 1
                        j += 1
                    }
                    guard j < end, bytes[j] == UInt8(ascii: "}"), digits > 0 else {
                        throw report(.badEscape(Span(file: source, start: i, end: min(j + 1, end)), "\\u"))
                    }
                    guard let scalar = Unicode.Scalar(value) else {
                        throw report(.badCodePoint(Span(file: source, start: i, end: j + 1), value))
                    }
                    text.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i = j + 1
                    continue
                default:
                    let s = Span(file: source, start: i, end: i + 2)
                    throw report(.badEscape(s, String(decoding: bytes[i..<(i + 2)], as: UTF8.self)))
                }
                i += 2
                continue
            }
            if b == UInt8(ascii: "$"), i + 1 < end {
                let n = bytes[i + 1]
                if Lexer.isNameStart(n) {
                    // $name.field.0 — the path goes on while a `.` is followed by a name or digit.
                    var j = i + 1
                    while j < end, Lexer.isNameByte(bytes[j]) { j += 1 }
                    while j + 1 < end, bytes[j] == UInt8(ascii: "."), Lexer.isNameByte(bytes[j + 1]) {
                        j += 1
                        while j < end, Lexer.isNameByte(bytes[j]) { j += 1 }
                    }
                    flush()
                    parts.append(.interpolation(variableExpression(from: i + 1, to: j)))
                    i = j
                    continue
                }
                if n == UInt8(ascii: "{") || n == UInt8(ascii: "(") {
                    var lexer = Lexer(bytes: bytes, start: i + 2, end: end)
                    guard lexer.skipBalanced(close: n == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ")")) else {
                        throw report(.unclosed(Span(file: source, start: i, end: i + 2), n == UInt8(ascii: "{") ? "${" : "$(", found: nil, source: source))
                    }
                    let innerStart = i + 2
                    let innerEnd = lexer.position - 1
                    flush()
                    parts.append(.interpolation(try parseInterpolation(innerStart, innerEnd, braces: n == UInt8(ascii: "{"), at: i)))
                    i = lexer.position
                    continue
                }
            }
            text.append(b)
            i += 1
        }
        flush()
        let whole = span(t)
        if parts.isEmpty { return Expression(kind: .literal(.string("")), span: whole) }
        if parts.count == 1, case .text(let s) = parts[0] { return Expression(kind: .literal(.string(s)), span: whole) }
        return Expression(kind: .string(parts), span: whole)
    }

    func variableExpression(from start: Int, to end: Int) -> Expression {
        let raw = String(decoding: source.bytes[start..<end], as: UTF8.self)
        let segments = PathSegment.parse(Substring(raw))
        let name = segments.first?.description ?? raw
        return Expression(
            kind: .variable(name: name, path: Array(segments.dropFirst())),
            span: Span(file: source, start: start - 1, end: end))
    }

    /// `${name.path}` names a variable; any other `${...}` or `$(...)` is parsed as a pipeline.
    mutating func parseInterpolation(_ start: Int, _ end: Int, braces: Bool, at dollar: Int) throws(Failure) -> Expression {
        let inner = source.bytes[start..<end]
        if braces, let f = inner.first, Lexer.isNameStart(f),
            inner.allSatisfy({ Lexer.isNameByte($0) || $0 == UInt8(ascii: ".") }), inner.last != UInt8(ascii: ".")
        {
            var e = variableExpression(from: start, to: end)
            e.span = Span(file: source, start: dollar, end: end + 1)
            return e
        }
        var sub = Parser(source: source, tokens: Lexer.tokenize(source.bytes, from: start, to: end), signature: signature)
        sub.nesting = nesting + 1
        sub.operators = operators
        if sub.nesting > Parser.maxNesting {
            throw abandon(.nestingTooDeep(Span(file: source, start: dollar, end: dollar + 2), limit: Parser.maxNesting))
        }
        let whole = Span(file: source, start: dollar, end: end + 1)
        if sub.peek().kind == .eof { throw report(.emptyInterpolation(whole)) }
        do {
            let pipeline = try sub.parsePipeline()
            if sub.peek().kind != .eof { throw sub.fail(expected: "the end of the interpolation", found: sub.peek()) }
            diagnostics += sub.diagnostics
            operators = sub.operators
            if pipeline.stages.count == 1, case .expression(let e) = pipeline.stages[0] { return e }
            return Expression(kind: .pipeline(pipeline), span: whole)
        } catch {
            // The string is closed: running out of input inside it is not an incomplete entry.
            diagnostics += sub.diagnostics.map { d in
                guard d.code == Diagnostic.unexpectedEndCode, let label = d.primary else { return d }
                return .expected("an expression", found: "the end of the interpolation", label.span)
            }
            if sub.abandonedAt != nil { throw abandon(diagnostics.removeLast()) }
            throw Failure()
        }
    }
}
