import TrackingMore

// Expressions by precedence (`or` down to primaries), lists and records.
extension Parser {
    /// An expression. `allowRecord: false` leaves `{` to the block after an `if` or `for` head;
    /// `whereMode` reads it as conditions over the fields of `$it`.
    mutating func parseExpression(allowRecord: Bool = true, whereMode: Bool = false) throws(Failure) -> Expression {
        try within(allowRecord: allowRecord, whereMode: whereMode) { p throws(Failure) in try p.parseOr() }
    }

    mutating func binary(_ op: BinaryOperator, _ l: Expression, _ r: Expression) -> Expression {
        Expression(kind: .binary(op, l, r), span: l.span.to(r.span))
    }

    mutating func parseOr() throws(Failure) -> Expression {
        var left = try parseAnd()
        while atWord("or") {
            try countOperator(advance())
            left = binary(.or, left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws(Failure) -> Expression {
        var left = try parseNot()
        while atWord("and") {
            try countOperator(advance())
            left = binary(.and, left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws(Failure) -> Expression {
        let t = peek()
        if t.kind == .word, text(t) == "not" {
            index += 1
            try countOperator(t)
            let operand = try parseNot()
            return Expression(kind: .unary(.not, operand), span: span(t).to(operand.span))
        }
        return try parseComparison()
    }

    mutating func comparisonOperator() -> BinaryOperator? {
        let t = peek()
        if t.kind == .word && text(t) == "in" { return .in }
        guard t.kind == .op, let op = BinaryOperator(rawValue: text(t)), op.isComparison else { return nil }
        return op
    }

    mutating func parseComparison() throws(Failure) -> Expression {
        var left = try parseAdditive()
        guard let op = comparisonOperator() else { return left }
        if whereMode, case .word(let w) = left.kind, Value.number(fromWord: w) == nil {
            left = Expression(kind: .itField(PathSegment.parse(Substring(w))), span: left.span)
        }
        index += 1
        let right = try parseAdditive()
        if let again = comparisonOperator() {
            throw report(.chainedComparison(span(peek()), again.rawValue))
        }
        return binary(op, left, right)
    }

    mutating func parseAdditive() throws(Failure) -> Expression {
        var left = try parseMultiplicative()
        while true {
            let t = peek()
            guard t.kind == .op, let op = BinaryOperator(rawValue: text(t)), op == .add || op == .subtract else {
                return left
            }
            try countOperator(advance())
            left = binary(op, left, try parseMultiplicative())
        }
    }

    mutating func parseMultiplicative() throws(Failure) -> Expression {
        var left = try parseUnary()
        while true {
            let t = peek()
            guard t.kind == .op, let op = BinaryOperator(rawValue: text(t)),
                op == .multiply || op == .divide || op == .remainder
            else { return left }
            try countOperator(advance())
            left = binary(op, left, try parseUnary())
        }
    }

    mutating func parseUnary() throws(Failure) -> Expression {
        let t = peek()
        if t.kind == .op, text(t) == "-" {
            index += 1
            try countOperator(t)
            let operand = try parseUnary()
            return Expression(kind: .unary(.negate, operand), span: span(t).to(operand.span))
        }
        return try parsePostfix()
    }

    /// A primary expression and any `.field` paths written right after it.
    mutating func parsePostfix() throws(Failure) -> Expression {
        var e = try parsePrimary()
        while true {
            let t = tokens[index]
            guard t.kind == .word, t.start == tokens[index - 1].end else { return e }
            let w = text(t)
            guard w.hasPrefix("."), w.count > 1 else { throw report(.expected("a blank", found: "'\(w)'", span(t))) }
            index += 1
            e = Expression(kind: .field(e, PathSegment.parse(w.dropFirst())), span: e.span.to(span(t)))
        }
    }

    mutating func parsePrimary() throws(Failure) -> Expression {
        let t = peek()
        switch t.kind {
        case .word:
            index += 1
            let w = text(t)
            switch w {
            case "true": return Expression(kind: .literal(.bool(true)), span: span(t))
            case "false": return Expression(kind: .literal(.bool(false)), span: span(t))
            case "null": return Expression(kind: .literal(.null), span: span(t))
            case "and", "or", "in", "else", "catch":
                index -= 1
                throw fail(expected: "an expression", found: t)
            default: return Expression(kind: .word(w), span: span(t))
            }
        case .rawString:
            index += 1
            let s = String(decoding: source.bytes[(t.start + 1)..<(t.end - 1)], as: UTF8.self)
            return Expression(kind: .literal(.string(s)), span: span(t))
        case .string:
            index += 1
            return try parseString(t)
        case .variable:
            index += 1
            let raw = text(t).dropFirst()
            let segments = PathSegment.parse(raw)
            guard case .name(let name) = segments[0] else { throw fail(expected: "a variable", found: t) }
            return Expression(kind: .variable(name: name, path: Array(segments.dropFirst())), span: span(t))
        case .lparen:
            let (inner, close) = try within(bracket: t, newlines: true, allowRecord: true, whereMode: false) {
                p throws(Failure) in
                p.index += 1
                if p.opensStatement(p.peek()) {
                    p.diagnostics.append(.unclosed(p.span(t), "(", found: p.peek(), source: p.source))
                    throw Failure()
                }
                let inner = try p.parsePipeline()
                let close = p.peek()
                guard close.kind == .rparen else {
                    if [.eof, .unterminatedString, .tooDeep].contains(close.kind) || !p.closes(from: p.index, .lparen, .rparen) {
                        p.diagnostics.append(.unclosed(p.span(t), "(", found: close, source: p.source))
                        throw Failure()
                    }
                    throw p.fail(expected: "')'", found: close)
                }
                p.index += 1
                return (inner, close)
            }
            let whole = Span(file: source, start: t.start, end: close.end)
            if inner.stages.count == 1, case .expression(var e) = inner.stages[0] {
                e.span = whole
                return e
            }
            return Expression(kind: .pipeline(inner), span: whole)
        case .lbracket:
            return try parseList()
        case .lbrace where allowRecord:
            return try parseRecord()
        default:
            throw fail(expected: "an expression", found: t)
        }
    }

    mutating func parseList() throws(Failure) -> Expression {
        let open = advance()
        return try within(bracket: open, newlines: true, allowRecord: true, whereMode: false) { p throws(Failure) in
            try p.parseListItems(open)
        }
    }

    mutating func parseListItems(_ open: Token) throws(Failure) -> Expression {
        var items: [Expression] = []
        while true {
            let t = peek()
            if t.kind == .rbracket { break }
            if t.kind == .unterminatedString || t.kind == .tooDeep { throw fail(expected: "']'", found: t) }
            if t.kind == .eof || t.kind == .rparen || t.kind == .rbrace {
                diagnostics.append(.unclosed(span(open), "[", found: t, source: source))
                throw Failure()
            }
            if opensStatement(t) {
                diagnostics.append(.unclosed(span(open), "[", found: t, source: source))
                throw Failure()
            }
            items.append(try parseExpression())
            if at(.comma) { index += 1 }
        }
        let close = advance()
        return Expression(kind: .list(items), span: Span(file: source, start: open.start, end: close.end))
    }

    /// Whether a closing bracket for an opener already open is found before the end of the
    /// statement: if so, the bracket is closed and the token before it is the problem.
    func closes(from start: Int, _ open: Token.Kind, _ close: Token.Kind) -> Bool {
        var depth = 0
        for t in tokens[start...] {
            switch t.kind {
            case open: depth += 1
            case close:
                if depth == 0 { return true }
                depth -= 1
            case .eof: return false
            default: break
            }
        }
        return false
    }

    /// `let` or `def` at the start of a line inside brackets: the bracket before was
    /// surely left open.
    func opensStatement(_ t: Token) -> Bool {
        guard t.kind == .word, index > 0, tokens[index - 1].kind == .newline else { return false }
        let w = text(t)
        return w == "let" || w == "def"
    }

    mutating func parseRecord() throws(Failure) -> Expression {
        let open = advance()
        return try within(bracket: open, newlines: true, allowRecord: true, whereMode: false) { p throws(Failure) in
            try p.parseRecordFields(open)
        }
    }

    mutating func parseRecordFields(_ open: Token) throws(Failure) -> Expression {
        var fields: [(key: String, keySpan: Span, value: Expression)] = []
        var keys = Set<String>()
        while true {
            let t = peek()
            if t.kind == .rbrace { break }
            if t.kind == .unterminatedString || t.kind == .tooDeep { throw fail(expected: "'}'", found: t) }
            if t.kind == .eof || t.kind == .rparen || t.kind == .rbracket {
                diagnostics.append(.unclosed(span(open), "{", found: t, source: source))
                throw Failure()
            }
            if opensStatement(t) {
                diagnostics.append(.unclosed(span(open), "{", found: t, source: source))
                throw Failure()
            }
            var key: String
            var inlineValue: Expression?
            switch t.kind {
            case .word:
                index += 1
                let w = text(t)
                if let colon = w.firstIndex(of: ":") {
                    key = String(w[..<colon])
                    let rest = w[w.index(after: colon)...]
                    if !rest.isEmpty {
                        let offset = t.start + w[..<colon].utf8.count + 1
                        inlineValue = Expression(kind: .word(String(rest)), span: Span(file: source, start: offset, end: t.end))
                    }
                } else {
                    key = w
                    let c = peek()
                    guard c.kind == .word, text(c).hasPrefix(":") else { throw fail(expected: "':' after the field name", found: c) }
                    index += 1
                    if text(c).count > 1 {
                        inlineValue = Expression(kind: .word(String(text(c).dropFirst())), span: span(c))
                    }
                }
            case .string, .rawString:
                index += 1
                guard case .literal(.string(let k)) = try parseStringToken(t).kind else {
                    throw report(.interpolatedKey(span(t)))
                }
                key = k
                let c = peek()
                guard c.kind == .word, text(c).hasPrefix(":") else { throw fail(expected: "':' after the field name", found: c) }
                index += 1
                if text(c).count > 1 {
                    inlineValue = Expression(kind: .word(String(text(c).dropFirst())), span: span(c))
                }
            default:
                throw fail(expected: "a field name or '}'", found: t)
            }
            if key.isEmpty { throw report(.expected("a field name", found: "':'", span(t))) }
            let value: Expression
            if let inlineValue { value = inlineValue } else { value = try parseExpression() }
            if !keys.insert(key).inserted { throw report(.duplicateField(span(t), key)) }
            fields.append((key, span(t), value))
            if at(.comma) { index += 1 }
        }
        let close = advance()
        return Expression(kind: .record(fields), span: Span(file: source, start: open.start, end: close.end))
    }

    mutating func parseStringToken(_ t: Token) throws(Failure) -> Expression {
        if t.kind == .rawString {
            let s = String(decoding: source.bytes[(t.start + 1)..<(t.end - 1)], as: UTF8.self)
            return Expression(kind: .literal(.string(s)), span: span(t))
        }
        return try parseString(t)
    }
}
