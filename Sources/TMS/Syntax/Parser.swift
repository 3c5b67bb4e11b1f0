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
    /// The words that begin a statement or a clause, where a verb could stand: completion
    /// offers them. `source` and `explain` are statements only at the start of one.
    public static let statementWords = ["let", "def", "if", "else", "for", "in", "try", "catch", "return", "source", "explain"]
    /// Reserved: never the name of a variable, parameter or def, nor a command.
    static let keywords = Set(statementWords).subtracting(["source", "explain"]).union(["and", "or", "not", "true", "false", "null"])

    let source: SourceFile
    let tokens: [Token]
    var index = 0
    /// For each open bracket, whether newlines are blanks inside it: true in `(` and `[`,
    /// false in blocks.
    var newlineIsBlank: [Bool] = [false]
    var nesting = 0
    /// In an expression, whether `{` opens a record (not in `if` and `for` heads, where it opens
    /// the block).
    var allowRecord = true
    /// Conditions over the fields of `$it`: a bare word left of a comparison names a field.
    var whereMode = false
    /// How many brackets a failed statement left open, counted as the failure unwinds through
    /// `within`: their closers belong to the failed statement and recovery skips them.
    var openAtFailure = 0
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
        // A UTF-8 byte order mark (some Windows editors write one) is not part of the script.
        let bom = source.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var parser = Parser(source: source, tokens: Lexer.tokenize(source.bytes, from: bom), signature: signature)
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

    /// Runs `body` in a changed parser context and restores the context on every exit path,
    /// throws included. `bracket` is an opening token: it counts towards the nesting limit.
    /// `newlines` pushes whether newlines are blanks until the bracket closes; `allowRecord`
    /// and `whereMode` set the expression modes. A failure leaving a pushed bracket counts it in
    /// `openAtFailure` for the statement loop's recovery.
    mutating func within<T>(
        bracket: Token? = nil, newlines: Bool? = nil, allowRecord: Bool? = nil, whereMode: Bool? = nil,
        _ body: (inout Parser) throws(Failure) -> T
    ) throws(Failure) -> T {
        let saved = (newlineIsBlank.count, nesting, self.allowRecord, self.whereMode)
        defer {
            newlineIsBlank.removeSubrange(saved.0...)
            (nesting, self.allowRecord, self.whereMode) = (saved.1, saved.2, saved.3)
        }
        if let bracket {
            nesting += 1
            if nesting > Parser.maxNesting { throw abandon(.nestingTooDeep(span(bracket), limit: Parser.maxNesting)) }
        }
        if let newlines { newlineIsBlank.append(newlines) }
        if let allowRecord { self.allowRecord = allowRecord }
        if let whereMode { self.whereMode = whereMode }
        do {
            return try body(&self)
        } catch {
            if newlines != nil { openAtFailure += 1 }
            throw error
        }
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
}
