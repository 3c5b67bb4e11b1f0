import TrackingMore

/// Turns tokens into a `Script`, reporting every error of the script in one run.
///
/// On an error the parser records a diagnostic and skips to the next statement boundary
/// (jlox's `synchronize`). Running off the end of the input is its own error,
/// `Diagnostic.unexpectedEnd`, which the REPL reads as "this entry continues on the next line".
public struct Parser {
    /// How deeply brackets, blocks and operators may nest; beyond it the parser reports an
    /// error instead of overflowing the stack.
    public static let maxNesting = 200
    /// The most stages one pipeline may have.
    public static let maxStages = 1000
    static let keywords: Set<String> = [
        "let", "def", "if", "else", "for", "in", "try", "catch", "return", "and", "or", "not",
        "true", "false", "null",
    ]

    let source: SourceFile
    let tokens: [Token]
    var index = 0
    /// For each open bracket, whether newlines are blanks inside it: true in `(` and `[`,
    /// false in blocks.
    var newlineIsBlank: [Bool] = [false]
    var nesting = 0
    /// Operators in the statement being parsed: a long chain nests its tree just as deeply.
    var operators = 0
    static let maxOperators = 1000
    var diagnostics: [Diagnostic] = []
    /// Set when a limit made the parser give up: diagnostics after it are dropped.
    var abandonedAt: Int?
    let signature: (String) -> Signature?

    struct Failure: Error {}

    init(source: SourceFile, tokens: [Token], signature: @escaping (String) -> Signature?) {
        self.source = source
        self.tokens = tokens
        self.signature = signature
    }

    /// Parses a whole script. The diagnostics are empty when it parsed cleanly.
    public static func parse(
        _ source: SourceFile, signature: @escaping (String) -> Signature? = { _ in nil }
    ) -> (Script, [Diagnostic]) {
        let empty = Block(statements: [], span: Span(file: source, start: 0, end: 0))
        if let bad = Parser.checkEncoding(source) {
            return (Script(source: source, body: empty, params: nil), [bad])
        }
        var parser = Parser(source: source, tokens: Lexer.tokenize(source.bytes), signature: signature)
        let statements = parser.parseStatements(topLevel: true)
        let body = Block(statements: statements, span: Span(file: source, start: 0, end: source.bytes.count))
        if let cut = parser.abandonedAt { parser.diagnostics.removeSubrange(cut...) }
        // One "unexpected end of input" is enough: the first says where the input ran out.
        if let first = parser.diagnostics.firstIndex(where: { $0.code == Diagnostic.unexpectedEndCode }) {
            parser.diagnostics = parser.diagnostics.enumerated().filter { $0.offset <= first || $0.element.code != Diagnostic.unexpectedEndCode }.map(\.element)
        }
        var params: ParamBlock?
        for (i, s) in statements.enumerated() {
            guard case .param(let p) = s.kind else { continue }
            if i == 0 { params = p } else { parser.diagnostics.append(.paramNotFirst(s.span)) }
        }
        return (Script(source: source, body: body, params: params), parser.diagnostics)
    }

    /// The first NUL byte or invalid UTF-8 sequence, as a diagnostic.
    static func checkEncoding(_ source: SourceFile) -> Diagnostic? {
        let bytes = source.bytes
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0 { return .nulByte(Span(file: source, start: i, end: i + 1)) }
            if b < 0x80 {
                i += 1
                continue
            }
            let length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0
            var valid = length > 0 && i + length <= bytes.count
            if valid {
                for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 { valid = false }
            }
            if valid {
                // Overlong forms, surrogates and code points past U+10FFFF.
                let b1 = bytes[i + 1]
                if (b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 >= 0xA0) || (b == 0xF0 && b1 < 0x90)
                    || (b == 0xF4 && b1 >= 0x90)
                {
                    valid = false
                }
            }
            if !valid { return .invalidUTF8(Span(file: source, start: i, end: i + 1)) }
            i += length
        }
        return nil
    }

    /// True when the diagnostics say only that the input ended too soon: more lines may
    /// complete it.
    public static func isIncomplete(_ diagnostics: [Diagnostic]) -> Bool {
        diagnostics.contains { $0.code == Diagnostic.unexpectedEndCode }
    }

    // MARK: - Tokens

    func text(_ t: Token) -> String {
        String(decoding: source.bytes[t.start..<t.end], as: UTF8.self)
    }

    func span(_ t: Token) -> Span { Span(file: source, start: t.start, end: t.end) }

    func span(from start: Int) -> Span {
        Span(file: source, start: start, end: max(start, index > 0 ? tokens[index - 1].end : start))
    }

    /// The current token, skipping newlines inside `(` and `[`.
    mutating func peek() -> Token {
        if newlineIsBlank.last == true {
            while tokens[index].kind == .newline { index += 1 }
        }
        return tokens[index]
    }

    mutating func advance() -> Token {
        let t = peek()
        if t.kind != .eof { index += 1 }
        return t
    }

    mutating func at(_ kind: Token.Kind) -> Bool { peek().kind == kind }

    mutating func atWord(_ word: String) -> Bool {
        let t = peek()
        return t.kind == .word && text(t) == word
    }

    mutating func skipNewlines() {
        while tokens[index].kind == .newline { index += 1 }
    }

    mutating func expect(_ kind: Token.Kind, _ what: String) throws(Failure) -> Token {
        let t = peek()
        guard t.kind == kind else { throw fail(expected: what, found: t) }
        index += 1
        return t
    }

    /// Records "expected X, found Y" (or "unexpected end of input") and returns the failure to throw.
    mutating func fail(expected: String, found t: Token) -> Failure {
        if t.kind == .eof || t.kind == .unterminatedString {
            diagnostics.append(.unexpectedEnd(span(t), expected: expected, unterminated: t.kind == .unterminatedString))
        } else if t.kind == .strayDollar {
            diagnostics.append(.strayDollar(span(t)))
        } else if t.kind == .tooDeep {
            return abandon(.nestingTooDeep(span(t), limit: Parser.maxNesting))
        } else {
            diagnostics.append(.expected(expected, found: describe(t), span(t)))
        }
        return Failure()
    }

    mutating func report(_ d: Diagnostic) -> Failure {
        diagnostics.append(d)
        return Failure()
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .newline: return "end of line"
        case .eof: return "end of input"
        case .string, .rawString: return "a string"
        default:
            let s = text(t)
            return "'" + (s.count > 30 ? String(s.prefix(30)) + "…" : s) + "'"
        }
    }

    mutating func enter(_ t: Token) throws(Failure) {
        nesting += 1
        if nesting > Parser.maxNesting { throw abandon(.nestingTooDeep(span(t), limit: Parser.maxNesting)) }
    }

    /// Counts one more operator of the current expression; past the limit the parse stops.
    mutating func countOperator(_ t: Token) throws(Failure) {
        operators += 1
        if operators > Parser.maxOperators { throw abandon(.tooManyOperators(span(t), limit: Parser.maxOperators)) }
    }

    /// Reports a limit and gives up on the rest of the input: past a limit, every further
    /// error would be an echo of this one.
    mutating func abandon(_ d: Diagnostic) -> Failure {
        diagnostics.append(d)
        abandonedAt = diagnostics.count
        index = tokens.count - 1
        return Failure()
    }

    // MARK: - Statements

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
            let savedModes = newlineIsBlank
            let savedNesting = nesting
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
                // Brackets the failed statement opened and did not close.
                let open = max(0, newlineIsBlank.count - savedModes.count)
                newlineIsBlank = savedModes
                nesting = savedNesting
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
        while !at(.lbrace) {
            let (p, s) = try parseName("a parameter name or '{'")
            if parameters.contains(where: { $0.name == p }) { throw report(.duplicateParameter(s, p)) }
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
                try enter(peek())
                let nested = try parseIf()
                nesting -= 1
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
        newlineIsBlank.append(false)  // so that recovery knows the block is open
        var declarations: [ParamBlock.Declaration] = []
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
            if declarations.contains(where: { $0.name == raw }) {
                throw report(.duplicateParameter(span(t), raw))
            }
            let declSpan = span(from: declStart)
            declarations.append(.init(name: raw, type: type, defaultValue: defaultValue, help: trailingComment(after: declSpan.end), span: declSpan))
        }
        index += 1
        newlineIsBlank.removeLast()
        let block = ParamBlock(declarations: declarations, span: span(from: start))
        return Statement(kind: .param(block), span: block.span)
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
        try enter(open)
        index += 1
        newlineIsBlank.append(false)
        let statements = parseStatements(topLevel: false)
        newlineIsBlank.removeLast()
        let close = peek()
        guard close.kind == .rbrace else {
            diagnostics.append(.unclosed(span(open), "{", found: close, source: source))
            throw Failure()
        }
        index += 1
        nesting -= 1
        return Block(statements: statements, span: Span(file: source, start: open.start, end: close.end))
    }

    // MARK: - Pipelines and commands

    mutating func parsePipeline() throws(Failure) -> Pipeline {
        let start = peek().start
        var stages = [try parseStage()]
        while true {
            // A line that starts with `|` continues the pipeline of the line before.
            var look = index
            while tokens[look].kind == .newline { look += 1 }
            if tokens[look].kind == .pipe { index = look }
            guard at(.pipe) else { break }
            let pipe = advance()
            skipNewlines()
            if stages.count >= Parser.maxStages {
                throw abandon(.tooManyStages(span(pipe), limit: Parser.maxStages))
            }
            let next = peek()
            if [.pipe, .rparen, .rbrace, .rbracket, .semicolon].contains(next.kind) {
                throw report(.emptyStage(span(pipe)))
            }
            stages.append(try parseStage())
        }
        return Pipeline(stages: stages, span: span(from: start))
    }

    mutating func parseStage() throws(Failure) -> Stage {
        let t = peek()
        if t.kind == .word {
            let name = text(t)
            if !Parser.keywords.contains(name) && Value.number(fromWord: name) == nil {
                return .command(try parseCommand())
            }
        }
        return .expression(try parseExpression())
    }

    mutating func parseCommand() throws(Failure) -> Command {
        let nameToken = advance()
        let name = text(nameToken)
        let sig = signature(name)
        var arguments: [Argument] = []
        var positionalIndex = 0
        while true {
            let t = peek()
            switch t.kind {
            case .pipe, .semicolon, .newline, .rparen, .rbrace, .rbracket, .eof, .comma:
                return Command(name: name, nameSpan: span(nameToken), arguments: arguments, span: span(from: nameToken.start))
            default: break
            }
            // `key=value`, written without blanks.
            if t.kind == .word, tokens[index + 1].kind == .equals, tokens[index + 1].start == t.end {
                let key = text(t)
                index += 2
                let v = tokens[index]
                if v.start != tokens[index - 1].end || [.newline, .pipe, .semicolon, .eof, .rparen, .rbrace, .comma].contains(v.kind) {
                    throw report(.missingKeywordValue(span(t).to(span(tokens[index - 1])), key))
                }
                let value = try parseAtom()
                arguments.append(.keyword(name: key, nameSpan: span(t), value: value))
                continue
            }
            if t.kind == .equals { throw report(.strayEquals(span(t))) }
            let parameter = sig?.positionalParameter(at: positionalIndex)
            positionalIndex += 1
            switch parameter?.type {
            case .block? where t.kind == .lbrace:
                arguments.append(.block(try parseBlock()))
            case .expression?:
                arguments.append(.positional(try parseExpression(whereMode: name == "where")))
            default:
                arguments.append(.positional(try parseAtom()))
            }
        }
    }

    /// One argument: a word, string, variable, list, record or `( ... )`.
    mutating func parseAtom() throws(Failure) -> Expression {
        let t = peek()
        if t.kind == .op {
            // In argument position an operator is just a word (`echo -`).
            index += 1
            return Expression(kind: .word(text(t)), span: span(t))
        }
        return try parsePostfix()
    }

    // MARK: - Expressions

    mutating func parseExpression(allowRecord: Bool = true, whereMode: Bool = false) throws(Failure) -> Expression {
        let saved = (self.allowRecord, self.whereMode)
        self.allowRecord = allowRecord
        self.whereMode = whereMode
        defer { (self.allowRecord, self.whereMode) = saved }
        return try parseOr()
    }

    var allowRecord = true
    var whereMode = false

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
            try enter(t)
            index += 1
            newlineIsBlank.append(true)
            let saved = (allowRecord, whereMode)
            (allowRecord, whereMode) = (true, false)
            if opensStatement(peek()) {
                diagnostics.append(.unclosed(span(t), "(", found: peek(), source: source))
                throw Failure()
            }
            let inner = try parsePipeline()
            (allowRecord, whereMode) = saved
            let close = peek()
            guard close.kind == .rparen else {
                if [.eof, .unterminatedString, .tooDeep].contains(close.kind) || !closes(from: index, .lparen, .rparen) {
                    diagnostics.append(.unclosed(span(t), "(", found: close, source: source))
                    throw Failure()
                }
                throw fail(expected: "')'", found: close)
            }
            newlineIsBlank.removeLast()
            index += 1
            nesting -= 1
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
        try enter(open)
        newlineIsBlank.append(true)
        let saved = (allowRecord, whereMode)
        (allowRecord, whereMode) = (true, false)
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
        (allowRecord, whereMode) = saved
        newlineIsBlank.removeLast()
        let close = advance()
        nesting -= 1
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
        try enter(open)
        newlineIsBlank.append(true)
        let saved = (allowRecord, whereMode)
        (allowRecord, whereMode) = (true, false)
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
        (allowRecord, whereMode) = saved
        newlineIsBlank.removeLast()
        let close = advance()
        nesting -= 1
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
