import TrackingMore

/// Every message tms gives about a script, in one place. Codes are stable: E00xx syntax,
/// E01xx checks before running, E02xx runtime.
extension Diagnostic {
    static let unexpectedEndCode = "E0001"

    // MARK: Syntax

    static func unexpectedEnd(_ span: Span, expected: String, unterminated: Bool) -> Diagnostic {
        Diagnostic(
            code: unexpectedEndCode, message: "unexpected end of input",
            primary: Label(span, unterminated ? "this string is not closed" : "expected \(expected)"))
    }

    static func expected(_ what: String, found: String, _ span: Span) -> Diagnostic {
        Diagnostic(code: "E0002", message: "expected \(what), found \(found)", primary: Label(span, "unexpected here"))
    }

    static func unclosed(_ open: Span, _ bracket: String, found: Token?, source: SourceFile) -> Diagnostic {
        let closing = ["(": ")", "[": "]", "{": "}", "${": "}", "$(": ")"][bracket] ?? "?"
        if let found, found.kind == .eof || found.kind == .unterminatedString {
            return Diagnostic(
                code: unexpectedEndCode, message: "unexpected end of input",
                primary: Label(open, "this '\(bracket)' is not closed"), help: "add '\(closing)'")
        }
        var d = Diagnostic(
            code: "E0003", message: "'\(bracket)' is not closed", primary: Label(open, "opened here"),
            help: "add '\(closing)'")
        if let found {
            d.secondary = [Label(Span(file: source, start: found.start, end: found.end), "expected '\(closing)' here")]
        }
        return d
    }

    static func unmatched(_ span: Span, _ bracket: String) -> Diagnostic {
        Diagnostic(code: "E0004", message: "unmatched '\(bracket)'", primary: Label(span, "nothing to close here"))
    }

    static func missingKeywordValue(_ span: Span, _ key: String) -> Diagnostic {
        Diagnostic(
            code: "E0005", message: "'\(key)=' has no value", primary: Label(span, "expected a value right after '='"),
            help: "write \(key)=VALUE with no blanks around '=', or quote an empty value: \(key)=\"\"")
    }

    static func badEscape(_ span: Span, _ escape: String) -> Diagnostic {
        Diagnostic(
            code: "E0006", message: "unknown escape '\(escape)' in string", primary: Label(span),
            help: "the escapes are \\n \\t \\r \\0 \\\" \\' \\\\ \\$ and \\u{HEX}; use '...' for raw text")
    }

    static func badCodePoint(_ span: Span, _ value: UInt32) -> Diagnostic {
        Diagnostic(
            code: "E0024", message: "\\u{\(String(value, radix: 16, uppercase: true))} is not a Unicode character",
            primary: Label(span), help: "characters go up to \\u{10FFFF}, without the surrogates D800 to DFFF")
    }

    static func invalidUTF8(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0007", message: "the script is not valid UTF-8", primary: Label(span, "invalid byte here"))
    }

    static func nulByte(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0008", message: "the script contains a NUL byte", primary: Label(span, "NUL here"))
    }

    static func nestingTooDeep(_ span: Span, limit: Int) -> Diagnostic {
        Diagnostic(
            code: "E0009", message: "nested more than \(limit) levels deep", primary: Label(span, "too deep here"),
            help: "split the expression with let")
    }

    static func tooManyOperators(_ span: Span, limit: Int) -> Diagnostic {
        Diagnostic(
            code: "E0023", message: "an expression has more than \(limit) operators", primary: Label(span, "operator \(limit + 1)"),
            help: "split it with let")
    }

    static func tooManyStages(_ span: Span, limit: Int) -> Diagnostic {
        Diagnostic(
            code: "E0010", message: "a pipeline has more than \(limit) stages", primary: Label(span, "stage \(limit + 1)"))
    }

    static func emptyStage(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0011", message: "'|' is not followed by a stage", primary: Label(span, "nothing after this '|'"))
    }

    static func strayEquals(_ span: Span) -> Diagnostic {
        Diagnostic(
            code: "E0012", message: "unexpected '='", primary: Label(span),
            help: "keyword arguments are written name=value, with no blanks around '='")
    }

    static func strayDollar(_ span: Span) -> Diagnostic {
        Diagnostic(
            code: "E0013", message: "'$' must be followed by a variable name", primary: Label(span),
            help: "quote it to mean a dollar sign: '$'")
    }

    static func chainedComparison(_ span: Span, _ op: String) -> Diagnostic {
        Diagnostic(
            code: "E0014", message: "comparisons cannot be chained", primary: Label(span, "second comparison"),
            help: "join them with and: a < b and b < c")
    }

    static func badName(_ span: Span, _ name: String, what: String) -> Diagnostic {
        Diagnostic(
            code: "E0015", message: "'\(name)' cannot be \(what)", primary: Label(span),
            help: "names start with a letter or '_' and go on with letters, digits or '_', and are not keywords")
    }

    static func duplicateParameter(_ span: Span, _ name: String) -> Diagnostic {
        Diagnostic(code: "E0016", message: "parameter '\(name)' is declared twice", primary: Label(span))
    }

    static func duplicateField(_ span: Span, _ name: String) -> Diagnostic {
        Diagnostic(code: "E0017", message: "field '\(name)' appears twice in the record", primary: Label(span))
    }

    static func misplacedKeyword(_ span: Span, _ keyword: String) -> Diagnostic {
        Diagnostic(
            code: "E0018", message: "'\(keyword)' without \(keyword == "else" ? "'if'" : "'try'")", primary: Label(span),
            help: keyword == "else" ? "write: if COND { ... } else { ... }" : "write: try { ... } catch e { ... }")
    }

    static func paramNotFirst(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0019", message: "the param block must come first in a script", primary: Label(span))
    }

    static func unknownType(_ span: Span, _ name: String) -> Diagnostic {
        let types = ParameterType.allCases.filter { ![.block, .expression, .field, .time].contains($0) }.map(\.rawValue)
        return Diagnostic(
            code: "E0020", message: "unknown parameter type '\(name)'", primary: Label(span),
            help: "the types are " + types.joined(separator: ", "))
    }

    static func interpolatedKey(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0021", message: "a field name cannot be interpolated", primary: Label(span))
    }

    static func emptyInterpolation(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0022", message: "empty interpolation", primary: Label(span), help: "write \\$ for a dollar sign")
    }

    // MARK: Checks before running

    static func unknownVerb(_ span: Span, _ name: String, candidates: [String]) -> Diagnostic {
        Diagnostic(
            code: "E0101", message: "unknown verb '\(name)'", primary: Label(span, "not a verb"),
            help: didYouMean(name, candidates) ?? "'help' lists the verbs")
    }

    static func unknownVariable(_ span: Span, _ name: String, candidates: [String]) -> Diagnostic {
        Diagnostic(
            code: "E0102", message: "unknown variable '$\(name)'", primary: Label(span, "not defined here"),
            help: didYouMean(name, candidates, prefix: "$") ?? "define it first with: let \(name) = ...")
    }

    static func unknownKeyword(_ span: Span, _ name: String, verb: String, candidates: [String]) -> Diagnostic {
        Diagnostic(
            code: "E0103", message: "'\(verb)' has no parameter '\(name)'", primary: Label(span, "unknown parameter"),
            help: sameField(name, candidates).map { "did you mean '\($0)='? (it filters by \(name))" } ?? didYouMean(name, candidates, suffix: "=")
                ?? (candidates.isEmpty ? "'\(verb)' takes no key=value parameters" : "its parameters are " + candidates.map { $0 + "=" }.joined(separator: " ")))
    }

    static func missingArgument(_ span: Span, verb: String, parameter: String, usage: String) -> Diagnostic {
        Diagnostic(
            code: "E0104", message: "'\(verb)' needs \(parameter)", primary: Label(span, "missing \(parameter)"),
            help: "usage: \(usage)")
    }

    static func extraArgument(_ span: Span, verb: String, usage: String) -> Diagnostic {
        Diagnostic(code: "E0105", message: "too many arguments for '\(verb)'", primary: Label(span, "not expected"), help: "usage: \(usage)")
    }

    static func wrongArgument(_ span: Span, parameter: String, expected: String, found: String) -> Diagnostic {
        Diagnostic(
            code: "E0106", message: "\(parameter) must be \(expected), not \(found)", primary: Label(span, "expected \(expected)"))
    }

    static func redefinesVerb(_ span: Span, _ name: String) -> Diagnostic {
        Diagnostic(
            code: "E0107", message: "'\(name)' is a built-in verb and cannot be redefined", primary: Label(span),
            help: "choose another name")
    }

    static func duplicateDef(_ span: Span, _ name: String, previous: Span) -> Diagnostic {
        Diagnostic(
            code: "E0108", message: "'\(name)' is defined twice", primary: Label(span, "defined again here"),
            secondary: [Label(previous, "first defined here")])
    }

    static func returnOutsideDef(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0109", message: "'return' outside a def", primary: Label(span))
    }

    static func blockExpected(_ span: Span, verb: String) -> Diagnostic {
        Diagnostic(
            code: "E0110", message: "'\(verb)' needs a block", primary: Label(span, "expected { ... }"),
            help: "example: \(verb) { $it.status }")
    }

    static func unreadableSource(_ span: Span, path: String, reason: String) -> Diagnostic {
        Diagnostic(code: "E0111", message: "cannot source '\(path)': \(reason)", primary: Label(span))
    }

    static func wrongArity(_ span: Span, verb: String, expected: Int, found: Int) -> Diagnostic {
        Diagnostic(
            code: "E0112", message: "'\(verb)' takes \(expected) argument\(expected == 1 ? "" : "s"), not \(found)",
            primary: Label(span))
    }

    // MARK: Runtime

    static func typeMismatch(_ span: Span, _ message: String, help: String? = nil) -> Diagnostic {
        Diagnostic(code: "E0201", message: message, primary: Label(span), help: help)
    }

    static func noField(_ span: Span, _ field: String, candidates: [String]) -> Diagnostic {
        Diagnostic(
            code: "E0202", message: "no field '\(field)'", primary: Label(span, "not in this record"),
            help: didYouMean(field, candidates) ?? (candidates.isEmpty ? nil : "its fields are " + candidates.prefix(12).joined(separator: ", ")))
    }

    static func indexOutOfRange(_ span: Span, _ index: Int, count: Int) -> Diagnostic {
        Diagnostic(code: "E0203", message: "index \(index) is out of range for a list of \(count)", primary: Label(span))
    }

    static func incomparable(_ span: Span, _ a: String, _ b: String) -> Diagnostic {
        Diagnostic(
            code: "E0204", message: "cannot compare \(a) with \(b)", primary: Label(span),
            help: "values of different kinds are never equal or ordered; convert one, or compare with null")
    }

    static func needsInput(_ span: Span, verb: String, expected: String, found: String) -> Diagnostic {
        Diagnostic(code: "E0205", message: "'\(verb)' needs \(expected) as input, not \(found)", primary: Label(span))
    }

    static func assertionFailed(_ span: Span, _ message: String?) -> Diagnostic {
        Diagnostic(code: "E0206", message: "assertion failed" + (message.map { ": " + $0 } ?? ""), primary: Label(span, "this is false"))
    }

    static func divisionByZero(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0207", message: "division by zero", primary: Label(span))
    }

    static func badRegex(_ span: Span, _ reason: String) -> Diagnostic {
        Diagnostic(code: "E0208", message: "invalid regular expression: \(reason)", primary: Label(span))
    }

    static func fileError(_ span: Span?, _ message: String) -> Diagnostic {
        Diagnostic(code: "E0209", message: message, primary: span.map { Label($0) })
    }

    static func nestedTooDeep(_ span: Span, limit: Int) -> Diagnostic {
        Diagnostic(
            code: "E0301", message: "a value would nest lists and records more than \(limit) levels deep", primary: Label(span, "built here"),
            help: "flatten the data, or keep the parts in separate variables")
    }

    static func valueTooLarge(_ span: Span, kind: String, size: Int, limit: Int) -> Diagnostic {
        let unit = kind == "string" ? "bytes" : "items"
        return Diagnostic(
            code: "E0302", message: "a \(kind) of \(size) \(unit) would pass the limit of \(limit) \(unit)", primary: Label(span, "built here"))
    }

    static func tooManyParameters(_ span: Span, limit: Int) -> Diagnostic {
        Diagnostic(
            code: "E0025", message: "more than \(limit) parameters", primary: Label(span, "parameter \(limit + 1)"),
            help: "pass a record instead")
    }

    static func badAnswer(_ span: Span, endpoint: String, part: String, found: String) -> Diagnostic {
        Diagnostic(
            code: "E0303", message: "the answer to \(endpoint) is not the API's: \(part) is \(found), not a list", primary: Label(span),
            help: "the server is not a TrackingMore v2 API, or it is broken; --trace shows the exchange")
    }

    static func fileAccessOff(_ span: Span, _ verb: String) -> Diagnostic {
        Diagnostic(code: "E0220", message: "file access is turned off for this interpreter", primary: Label(span), help: "'\(verb)' reads or writes files")
    }

    static let fileExistsCode = "E0300"

    static func fileExists(_ span: Span?, _ path: String) -> Diagnostic {
        Diagnostic(
            code: fileExistsCode, message: "'\(path)' exists already", primary: span.map { Label($0, "not replaced") },
            help: "save --force replaces it")
    }

    static func badData(_ span: Span?, _ message: String) -> Diagnostic {
        Diagnostic(code: "E0210", message: message, primary: span.map { Label($0) })
    }

    static func recursionTooDeep(_ span: Span, limit: Int) -> Diagnostic {
        Diagnostic(code: "E0211", message: "calls nested more than \(limit) deep", primary: Label(span, "here"), help: "is a def calling itself without end?")
    }

    static func badValue(_ span: Span, parameter: String, expected: String, found: String) -> Diagnostic {
        Diagnostic(code: "E0212", message: "\(parameter) must be \(expected), not \(found)", primary: Label(span))
    }

    /// A value the API would refuse, caught before sending: the catalog's rule and the meta
    /// code the API would answer.
    static func refusedValue(_ span: Span, _ problem: Field.Problem, found: String) -> Diagnostic {
        Diagnostic(
            code: "E0212", message: "\(problem.field) must be \(problem.expected), not \(found)", primary: Label(span),
            help: "the API would refuse it with \(problem.code.rawValue) (\(problem.code.message))")
    }

    static func notBool(_ span: Span, context: String, found: String) -> Diagnostic {
        Diagnostic(code: "E0214", message: "\(context) must be a bool, not \(found)", primary: Label(span))
    }

    static func overflow(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0215", message: "number out of range", primary: Label(span))
    }

    static func scriptArgument(_ message: String, help: String? = nil) -> Diagnostic {
        Diagnostic(code: "E0216", message: message, help: help)
    }

    static func noInput(_ span: Span, verb: String) -> Diagnostic {
        Diagnostic(code: "E0217", message: "'\(verb)' needs input from a pipeline", primary: Label(span), help: "give it input with '|': ... | \(verb)")
    }

    // MARK: Capabilities (a host's limits)

    static func verbNotAllowed(_ span: Span, _ name: String) -> Diagnostic {
        Diagnostic(
            code: "E0260", message: "'\(name)' is not allowed in this interpreter", primary: Label(span, "not on the allow-list"),
            help: "the host allows only some verbs (Capabilities.allowedVerbs)")
    }

    static func noBackend(_ span: Span) -> Diagnostic {
        Diagnostic(code: "E0230", message: "no API backend is set up for this interpreter", primary: Label(span),
            help: "the host gives the interpreter an API session: interpreter.api = APISession(backend: ...)")
    }

    static func budgetUsed(_ span: Span, _ budget: Int) -> Diagnostic {
        Diagnostic(
            code: "E0261", message: "the request budget of \(budget) is used up", primary: Label(span, "this would be request \(budget + 1)"),
            help: "the host allows \(budget) API requests (Capabilities.requestBudget)")
    }

    static func deadlinePassed(_ span: Span) -> Diagnostic {
        Diagnostic(
            code: "E0262", message: "the deadline has passed", primary: Label(span, "not started"),
            help: "the host gives programs a time limit (Capabilities.deadline)")
    }

    // MARK: Suggestions

    /// "did you mean 'get'?" when a candidate is close to `word`.
    static func didYouMean(_ word: String, _ candidates: [String], prefix: String = "", suffix: String = "") -> String? {
        guard let best = closest(word, candidates) else { return nil }
        return "did you mean '\(prefix)\(best)\(suffix)'?"
    }

    /// The parameter that filters by a record's field: `order_id` → `orders`,
    /// `tracking_number` → `numbers` (a part of the field's name, plural).
    static func sameField(_ name: String, _ candidates: [String]) -> String? {
        let parts = name.lowercased().split(separator: "_").map(String.init)
        return candidates.first { c in parts.contains { $0 + "s" == c } }
    }

    /// The candidate closest to a mistyped word, if one is close enough.
    public static func closest(_ word: String, _ candidates: [String]) -> String? {
        let w = Array(word.lowercased())
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(w, Array(c.lowercased()))
            let limit = max(1, min(3, (w.count + 1) / 3))
            if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    /// Damerau–Levenshtein distance (with adjacent transpositions).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        if abs(a.count - b.count) > 3 { return 4 }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}
