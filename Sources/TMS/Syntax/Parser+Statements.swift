import TrackingMore

// Statements: the statement loop with its error recovery, `let`, `def`, `if`, `for`, `try`,
// `param { }` and blocks.
extension Parser {
    mutating func parseStatements(topLevel: Bool) -> [Statement] {
        var statements: [Statement] = []
        while true {
            while tokens[index].kind == .newline || tokens[index].kind == .semicolon { index += 1 }
            let t = tokens[index]
            if t.kind == .eof { return statements }
            if t.kind == .rbrace {
                if !topLevel { return statements }
                diagnostics.append(.unmatched(span(t), "}"))
                index += 1
                continue
            }
            if t.kind == .rparen || t.kind == .rbracket {
                diagnostics.append(.unmatched(span(t), t.kind == .rparen ? ")" : "]"))
                index += 1
                continue
            }
            openAtFailure = 0
            // The operator limit is per top-level statement, blocks inside it included, since
            // the trees of nested expressions stack up.
            if topLevel { operators = 0 }
            do {
                let s = try parseStatement()
                statements.append(s)
                let end = tokens[index]
                switch end.kind {
                case .newline, .semicolon, .eof: break
                case .rbrace where !topLevel: break
                case .rparen, .rbracket: break  // reported as unmatched by the loop
                default: throw fail(expected: "end of statement", found: end)
                }
            } catch {
                // Brackets the failed statement opened and did not close (`within` has already
                // restored the parser's context).
                let open = openAtFailure
                openAtFailure = 0
                let before = index
                synchronize(open: open)
                if index == before, tokens[index].kind != .eof, tokens[index].kind != .rbrace || topLevel {
                    index += 1  // always make progress
                }
            }
        }
    }

    /// Skips to the end of the statement that failed: a newline or `;` outside brackets, or
    /// the `}` that closes the block around it. `open` brackets were opened by the statement
    /// before it failed; their closers belong to it.
    mutating func synchronize(open: Int) {
        var depth = open
        while true {
            let t = tokens[index]
            switch t.kind {
            case .eof: return
            case .newline where depth == 0, .semicolon where depth == 0: return
            case .lparen, .lbracket, .lbrace: depth += 1
            case .rbrace where depth == 0: return
            case .rparen, .rbracket, .rbrace:
                depth = max(0, depth - 1)
            default: break
            }
            index += 1
        }
    }

    mutating func parseStatement() throws(Failure) -> Statement {
        let t = peek()
        let start = t.start
        if t.kind == .word {
            switch text(t) {
            case "let": return try parseLet()
            case "def": return try parseDef()
            case "if": return try parseIf()
            case "for": return try parseFor()
            case "try": return try parseTry()
            case "source":
                index += 1
                let path = try parseAtom()
                return Statement(kind: .source(path: path), span: span(from: start))
            case "return":
                index += 1
                let next = peek().kind
                if [.newline, .semicolon, .rbrace, .eof].contains(next) {
                    return Statement(kind: .return(nil), span: span(from: start))
                }
                let value = try parseExpression()
                return Statement(kind: .return(value), span: span(from: start))
            case "param":
                if tokens[index + 1].kind == .lbrace { return try parseParamBlock() }
            case "explain":
                let next = tokens[index + 1].kind
                if ![.newline, .semicolon, .eof, .pipe, .rbrace].contains(next) {
                    index += 1
                    let pipeline = try parsePipeline()
                    return Statement(kind: .explain(pipeline), span: span(from: start))
                }
            case "else", "catch":
                throw report(.misplacedKeyword(span(t), text(t)))
            default: break
            }
        }
        let pipeline = try parsePipeline()
        return Statement(kind: .pipeline(pipeline), span: pipeline.span)
    }

    mutating func parseName(_ what: String) throws(Failure) -> (String, Span) {
        let t = peek()
        guard t.kind == .word || t.kind == .variable else { throw fail(expected: what, found: t) }
        let name = text(t)
        if t.kind == .variable || !isName(name) || Parser.keywords.contains(name) {
            throw report(.badName(span(t), name, what: what))
        }
        index += 1
        return (name, span(t))
    }

    func isName(_ s: String) -> Bool {
        guard let f = s.utf8.first, Lexer.isNameStart(f) else { return false }
        return s.utf8.allSatisfy(Lexer.isNameByte)
    }

    mutating func parseLet() throws(Failure) -> Statement {
        let start = advance().start
        let (name, nameSpan) = try parseName("a variable name")
        _ = try expect(.equals, "'=' after the variable name")
        let value = try parsePipeline()
        return Statement(kind: .let(name: name, nameSpan: nameSpan, value: value), span: span(from: start))
    }

    mutating func parseDef() throws(Failure) -> Statement {
        let start = advance().start
        let (name, nameSpan) = try parseName("a verb name")
        var parameters: [(name: String, span: Span)] = []
        var names = Set<String>()
        while !at(.lbrace) {
            let (p, s) = try parseName("a parameter name or '{'")
            if !names.insert(p).inserted { throw report(.duplicateParameter(s, p)) }
            if parameters.count == Limits.parameters { throw report(.tooManyParameters(s, limit: Limits.parameters)) }
            parameters.append((p, s))
        }
        let body = try parseBlock()
        let def = Definition(name: name, nameSpan: nameSpan, parameters: parameters, body: body, span: span(from: start))
        return Statement(kind: .def(def), span: def.span)
    }

    mutating func parseIf() throws(Failure) -> Statement {
        let start = advance().start
        let condition = try parseExpression(allowRecord: false)
        let then = try parseBlock()
        var otherwise: Block?
        let save = index
        skipNewlines()
        if atWord("else") {
            index += 1
            if atWord("if") {
                let nested = try within(bracket: peek()) { p throws(Failure) in try p.parseIf() }
                otherwise = Block(statements: [nested], span: nested.span)
            } else {
                otherwise = try parseBlock()
            }
        } else {
            index = save
        }
        return Statement(kind: .if(condition: condition, then: then, else: otherwise), span: span(from: start))
    }

    mutating func parseFor() throws(Failure) -> Statement {
        let start = advance().start
        let (name, nameSpan) = try parseName("a loop variable name")
        guard atWord("in") else { throw fail(expected: "'in'", found: peek()) }
        index += 1
        let sequence = try parseExpression(allowRecord: false)
        let body = try parseBlock()
        return Statement(
            kind: .for(name: name, nameSpan: nameSpan, sequence: sequence, body: body), span: span(from: start))
    }

    mutating func parseTry() throws(Failure) -> Statement {
        let start = advance().start
        let body = try parseBlock()
        let save = index
        skipNewlines()
        guard atWord("catch") else {
            index = save
            let empty = Block(statements: [], span: body.span)
            return Statement(kind: .try(body: body, errorName: nil, handler: empty), span: span(from: start))
        }
        index += 1
        var name: String?
        if !at(.lbrace) { name = try parseName("an error variable name").0 }
        let handler = try parseBlock()
        return Statement(kind: .try(body: body, errorName: name, handler: handler), span: span(from: start))
    }

    mutating func parseParamBlock() throws(Failure) -> Statement {
        let start = advance().start
        _ = try expect(.lbrace, "'{'")
        // The pushed mode tells recovery that the block is open.
        let declarations = try within(newlines: false) { p throws(Failure) in try p.parseParamDeclarations() }
        index += 1
        let block = ParamBlock(declarations: declarations, span: span(from: start))
        return Statement(kind: .param(block), span: block.span)
    }

    /// The declarations of a `param { }` block, up to its `}`.
    mutating func parseParamDeclarations() throws(Failure) -> [ParamBlock.Declaration] {
        var declarations: [ParamBlock.Declaration] = []
        var declared = Set<String>()
        while true {
            while tokens[index].kind == .newline || tokens[index].kind == .semicolon || tokens[index].kind == .comma {
                index += 1
            }
            if at(.rbrace) { break }
            let t = peek()
            guard t.kind == .word else { throw fail(expected: "a parameter declaration or '}'", found: t) }
            var raw = text(t)
            let declStart = t.start
            index += 1
            var typeName = "any"
            if raw.hasSuffix(":") {
                raw.removeLast()
                let ty = try expect(.word, "a parameter type")
                typeName = text(ty)
            } else if raw.contains(":") {
                let parts = raw.split(separator: ":", maxSplits: 1)
                raw = String(parts[0])
                typeName = parts.count > 1 ? String(parts[1]) : ""
            }
            guard isName(raw), !Parser.keywords.contains(raw) else { throw report(.badName(span(t), raw, what: "a parameter name")) }
            guard let type = ParameterType(rawValue: typeName), ![.block, .expression, .field, .time].contains(type) else {
                throw report(.unknownType(span(from: declStart), typeName))
            }
            var defaultValue: Expression?
            if at(.equals) {
                index += 1
                defaultValue = try parseExpression()
            }
            if !declared.insert(raw).inserted {
                throw report(.duplicateParameter(span(t), raw))
            }
            if declarations.count == Limits.parameters { throw report(.tooManyParameters(span(t), limit: Limits.parameters)) }
            let declSpan = span(from: declStart)
            declarations.append(.init(name: raw, type: type, defaultValue: defaultValue, help: trailingComment(after: declSpan.end), span: declSpan))
        }
        return declarations
    }

    /// The text of a `# comment` that ends the line at `offset`: a parameter's help.
    func trailingComment(after offset: Int) -> String {
        var i = offset
        let bytes = source.bytes
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "#") else { return "" }
        var end = i
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        return String(decoding: bytes[(i + 1)..<end], as: UTF8.self).trimmingBlanks()
    }

    mutating func parseBlock() throws(Failure) -> Block {
        let open = peek()
        guard open.kind == .lbrace else { throw fail(expected: "'{'", found: open) }
        return try within(bracket: open) { p throws(Failure) in
            p.index += 1
            // An unclosed block is reported at its `{`: recovery does not count it as open.
            let statements = try p.within(newlines: false) { $0.parseStatements(topLevel: false) }
            let close = p.peek()
            guard close.kind == .rbrace else {
                p.diagnostics.append(.unclosed(p.span(open), "{", found: close, source: p.source))
                throw Failure()
            }
            p.index += 1
            return Block(statements: statements, span: Span(file: p.source, start: open.start, end: close.end))
        }
    }
}
