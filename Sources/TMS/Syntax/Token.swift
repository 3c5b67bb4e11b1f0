/// A token: its kind and a byte range into the source. The text is read from the source on
/// demand, so tokens stay small.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        /// A run of characters other than blanks and `| ; ( ) [ ] { } " ' $ = ,` (`#` inside a word and `'` between letters belong to it).
        case word
        /// `"..."`, possibly with escapes and interpolation.
        case string
        /// `'...'`: raw.
        case rawString
        /// `$name`, `$name.field.0`.
        case variable
        /// `== != < <= > >= =~ !~ + - * / %`
        case op
        case equals, pipe, semicolon, newline, comma
        case lparen, rparen, lbracket, rbracket, lbrace, rbrace
        /// A string that reached the end of input before its closing quote.
        case unterminatedString
        /// A `$` not followed by a name.
        case strayDollar
        /// Strings nested in interpolations past the parser's nesting limit.
        case tooDeep
        case eof
    }

    var kind: Kind
    var start: Int
    var end: Int
}

/// Splits UTF-8 source into tokens. Comments and blanks other than newlines are dropped.
struct Lexer {
    let bytes: [UInt8]
    let limit: Int
    var position = 0
    /// How deep `$(...)` inside strings inside `$(...)` goes; past the limit scanning stops.
    var interpolationDepth = 0
    var tooDeep = false

    init(bytes: [UInt8], start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.limit = end ?? bytes.count
        self.position = start
    }

    /// Tokens of `bytes[start..<end]` (end defaults to the whole source), ending with `.eof`.
    static func tokenize(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) -> [Token] {
        var lexer = Lexer(bytes: bytes, start: start, end: end)
        var tokens: [Token] = []
        tokens.reserveCapacity((bytes.count - start) / 4 + 1)
        while true {
            let t = lexer.next()
            tokens.append(t)
            if t.kind == .eof { return tokens }
        }
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B: return false
        case UInt8(ascii: "|"), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "$"),
            UInt8(ascii: "="), UInt8(ascii: ","):
            return false
        default: return true
        }
    }

    /// Names are ASCII letters, digits and `_`, or any non-ASCII character (`$café`).
    static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == UInt8(ascii: "_") || b >= 0x80
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39)
    }

    func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < limit ? bytes[position + offset] : nil
    }

    mutating func next() -> Token {
        skipBlanksAndComments()
        let start = position
        guard let b = peek() else { return Token(kind: .eof, start: start, end: start) }
        func single(_ kind: Token.Kind) -> Token {
            position += 1
            return Token(kind: kind, start: start, end: position)
        }
        switch b {
        case 0x0A: return single(.newline)
        case UInt8(ascii: "|"): return single(.pipe)
        case UInt8(ascii: ";"): return single(.semicolon)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: "("): return single(.lparen)
        case UInt8(ascii: ")"): return single(.rparen)
        case UInt8(ascii: "["): return single(.lbracket)
        case UInt8(ascii: "]"): return single(.rbracket)
        case UInt8(ascii: "{"): return single(.lbrace)
        case UInt8(ascii: "}"): return single(.rbrace)
        case UInt8(ascii: "="):
            if peek(1) == UInt8(ascii: "=") || peek(1) == UInt8(ascii: "~") {
                position += 2
                return Token(kind: .op, start: start, end: position)
            }
            return single(.equals)
        case UInt8(ascii: "\""):
            return scanString()
        case UInt8(ascii: "'"):
            position += 1
            while let c = peek(), c != UInt8(ascii: "'") { position += 1 }
            if peek() == nil { return Token(kind: .unterminatedString, start: start, end: position) }
            position += 1
            return Token(kind: .rawString, start: start, end: position)
        case UInt8(ascii: "$"):
            return scanVariable()
        default:
            if let length = operatorLength() {
                position += length
                return Token(kind: .op, start: start, end: position)
            }
            scanWord()
            if position == start { position += 1 }  // never an empty token
            return Token(kind: .word, start: start, end: position)
        }
    }

    /// The length of an operator at the current position, when one stands there alone.
    func operatorLength() -> Int? {
        guard let b = peek() else { return nil }
        var length = 0
        switch b {
        case UInt8(ascii: "!"):
            // `!=` and `!~` are operators wherever they stand (`a!=b` too).
            guard peek(1) == UInt8(ascii: "=") || peek(1) == UInt8(ascii: "~") else { return nil }
            return 2
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            if peek(1) == UInt8(ascii: "=") { return 2 }
            length = 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            length = 1
        default: return nil
        }
        // An operator must stand alone: `-3`, `->`, `a/b` are words.
        if let after = peek(length), Lexer.isWordByte(after) { return nil }
        return length
    }

    mutating func scanWord() {
        while let c = peek(), Lexer.isWordByte(c) || isApostropheInWord() {
            // `a!=b`, `a<=b`, `a>=b`: end the word before the operator.
            if c == UInt8(ascii: "!") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">"),
                peek(1) == UInt8(ascii: "=") || (c == UInt8(ascii: "!") && peek(1) == UInt8(ascii: "~"))
            {
                return
            }
            position += 1
        }
    }

    /// `O'Brien`, `it's`: a `'` between two letters is part of the word, not a quote.
    func isApostropheInWord() -> Bool {
        guard peek() == UInt8(ascii: "'"), position > 0, let after = peek(1) else { return false }
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b >= 0x80 }
        return isLetter(bytes[position - 1]) && isLetter(after)
    }

    mutating func scanVariable() -> Token {
        let start = position
        position += 1
        guard let c = peek(), Lexer.isNameStart(c) else {
            return Token(kind: .strayDollar, start: start, end: position)
        }
        while let c = peek(), Lexer.isNameByte(c) { position += 1 }
        // The path goes on while a `.` is followed by a name or an index.
        while peek() == UInt8(ascii: "."), let n = peek(1), Lexer.isNameByte(n) {
            position += 1
            while let c = peek(), Lexer.isNameByte(c) { position += 1 }
        }
        return Token(kind: .variable, start: start, end: position)
    }

    /// A `"..."` string; `$(...)` and `${...}` inside it may hold further strings and brackets.
    mutating func scanString() -> Token {
        let start = position
        position += 1
        if scanStringBody() {
            return Token(kind: .string, start: start, end: position)
        }
        return Token(kind: tooDeep ? .tooDeep : .unterminatedString, start: start, end: position)
    }

    /// Scans to just past the closing quote; false at end of input.
    mutating func scanStringBody() -> Bool {
        while let c = peek() {
            switch c {
            case UInt8(ascii: "\""):
                position += 1
                return true
            case UInt8(ascii: "\\"):
                position += 2
            case UInt8(ascii: "$") where peek(1) == UInt8(ascii: "(") || peek(1) == UInt8(ascii: "{"):
                position += 2
                if !skipBalanced(close: peek(-1) == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "}")) {
                    return false
                }
            default:
                position += 1
            }
        }
        position = min(position, limit)
        return false
    }

    /// Skips an interpolated part up to its closing bracket, minding nested strings.
    mutating func skipBalanced(close: UInt8) -> Bool {
        if interpolationDepth >= Parser.maxNesting {
            tooDeep = true
            return false
        }
        interpolationDepth += 1
        defer { interpolationDepth -= 1 }
        var stack: [UInt8] = [close]
        while let c = peek() {
            switch c {
            case UInt8(ascii: "\""):
                position += 1
                if !scanStringBody() { return false }
                continue
            case UInt8(ascii: "'"):
                position += 1
                while let r = peek(), r != UInt8(ascii: "'") { position += 1 }
                if peek() == nil { return false }
            case UInt8(ascii: "("): stack.append(UInt8(ascii: ")"))
            case UInt8(ascii: "{"): stack.append(UInt8(ascii: "}"))
            case UInt8(ascii: "["): stack.append(UInt8(ascii: "]"))
            case UInt8(ascii: ")"), UInt8(ascii: "}"), UInt8(ascii: "]"):
                if c == stack.last { stack.removeLast() }
                if stack.isEmpty {
                    position += 1
                    return true
                }
            default: break
            }
            position += 1
        }
        return false
    }

    /// `#` starts a comment at the start of a word: first on a line, after a blank, or after
    /// a bracket, `|` or `;`. Inside a word (`order_id=#1001`, `ORD#7`) and after a `,`
    /// (`orders=#1001,#1002`) it is text.
    func startsComment() -> Bool {
        guard position > 0 else { return true }
        switch bytes[position - 1] {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B,
            UInt8(ascii: "|"), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            return true
        default:
            return false
        }
    }

    mutating func skipBlanksAndComments() {
        while let c = peek() {
            switch c {
            case 0x20, 0x09, 0x0D, 0x0C, 0x0B:
                position += 1
            case UInt8(ascii: "\\") where peek(1) == 0x0A:
                // A backslash at the end of a line joins it with the next, as in sh.
                position += 2
            case UInt8(ascii: "#") where startsComment():
                while let d = peek(), d != 0x0A { position += 1 }
            default:
                return
            }
        }
    }
}
