import TrackingMore

extension Interpreter {
    /// Evaluates an expression argument for one item (`where`, `assert`).
    func evaluate(_ e: Expression, scope: Scope, it: Value) async throws -> Value {
        var frame = Frame(scope: scope, it: it, input: .value(it))
        frame.pipeInput = false
        return try await evaluate(e, frame)
    }

    func evaluate(_ e: Expression, _ frame: Frame) async throws -> Value {
        switch e.kind {
        case .literal(let v):
            return v
        case .word(let w):
            return JSON.number(fromWord: w) ?? .string(w)
        case .string(let parts):
            var s = ""
            for part in parts {
                switch part {
                case .text(let t): s += t
                case .interpolation(let inner): s += try await evaluate(inner, frame).description
                }
            }
            return .string(s)
        case .variable(let name, let path):
            let base = try variable(name, e.span, frame)
            return try access(base, path, e.span)
        case .itField(let path):
            guard let it = frame.it else {
                throw TMSError(.typeMismatch(e.span, "'\(e.span.text)' names a field, but there is no current item"))
            }
            return try access(it, path, e.span)
        case .field(let base, let path):
            return try access(try await evaluate(base, frame), path, e.span)
        case .list(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try await evaluate(item, frame)) }
            try Limits.checkNesting(values, e.span)
            return .list(values)
        case .record(let fields):
            // The parser made sure the keys are unique.
            var values: [Value] = []
            values.reserveCapacity(fields.count)
            for f in fields { values.append(try await evaluate(f.value, frame)) }
            try Limits.checkNesting(values, e.span)
            return .record(Record(uniqueKeys: fields.map(\.key), values: values))
        case .unary(let op, let operand):
            let v = try await evaluate(operand, frame)
            switch (op, v) {
            case (.not, .bool(let b)): return .bool(!b)
            case (.negate, .int(let i)):
                guard i != Int.min else { throw TMSError(.overflow(e.span)) }
                return .int(-i)
            case (.negate, .double(let d)): return .double(-d)
            case (.not, _): throw TMSError(.notBool(operand.span, context: "the operand of 'not'", found: v.summary))
            case (.negate, _): throw TMSError(.typeMismatch(e.span, "cannot negate \(v.summary)"))
            }
        case .binary(let op, let l, let r):
            return try await binary(op, l, r, e.span, frame)
        case .pipeline(let p):
            return try await run(p, frame, input: nil).collect()
        }
    }

    func variable(_ name: String, _ span: Span, _ frame: Frame) throws -> Value {
        switch name {
        case "it":
            if let it = frame.it { return it }
        case "in":
            if case .value(let v)? = frame.input { return v }
            if frame.input == nil { return .null }
        case "env":
            if frame.scope.lookup("env") == nil {
                return .record(Record(settings.environment.sorted { $0.key < $1.key }.map { ($0.key, .string(maskingKeys($0.value, settings.secrets))) }))
            }
        default: break
        }
        if let v = frame.scope.lookup(name) { return v }
        throw TMSError(.unknownVariable(span, name, candidates: frame.scope.allNames + ["in", "env"]))
    }

    /// Follows a field path (`Value.at`), with the path's span in its error.
    func access(_ base: Value, _ path: [PathSegment], _ span: Span) throws -> Value {
        do {
            return try base.at(path)
        } catch {
            throw error.error(at: span)
        }
    }

    func binary(_ op: BinaryOperator, _ l: Expression, _ r: Expression, _ span: Span, _ frame: Frame) async throws -> Value {
        switch op {
        case .and, .or:
            let a = try await evaluate(l, frame)
            guard case .bool(let x) = a else {
                throw TMSError(.notBool(l.span, context: "the left side of '\(op.rawValue)'", found: a.summary))
            }
            if op == .and && !x { return .bool(false) }
            if op == .or && x { return .bool(true) }
            let b = try await evaluate(r, frame)
            guard case .bool(let y) = b else {
                throw TMSError(.notBool(r.span, context: "the right side of '\(op.rawValue)'", found: b.summary))
            }
            return .bool(y)
        default: break
        }
        let a = try await evaluate(l, frame)
        let b = try await evaluate(r, frame)
        switch op {
        case .equal, .notEqual:
            let same: Bool
            if a.isNull || b.isNull {
                same = a.isNull && b.isNull
            } else {
                guard let c = JSON.compare(a, b) else {
                    if case .record = a, case .record = b {
                        same = false
                    } else {
                        throw TMSError(.incomparable(span, a.summary, b.summary))
                    }
                    return .bool(op == .equal ? same : !same)
                }
                same = c == 0
            }
            return .bool(op == .equal ? same : !same)
        case .less, .lessEqual, .greater, .greaterEqual:
            guard !a.isNull, !b.isNull, let c = JSON.compare(a, b), !(a.recordValue != nil) else {
                throw TMSError(.incomparable(span, a.summary, b.summary))
            }
            switch op {
            case .less: return .bool(c < 0)
            case .lessEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .matches, .notMatches:
            guard case .string(let s) = a, case .string(let pattern) = b else {
                throw TMSError(.typeMismatch(span, "'\(op.rawValue)' matches a string against a pattern, not \(a.summary) against \(b.summary)"))
            }
            let regex = try self.regex(pattern, r.span)
            let found = (try? regex.firstMatch(in: s)) != nil
            return .bool(op == .matches ? found : !found)
        case .in:
            switch b {
            case .list(let items):
                return .bool(items.contains { JSON.compare($0, a) == 0 })
            case .record(let rec):
                guard case .string(let k) = a else { throw TMSError(.typeMismatch(span, "a record's keys are strings, not \(a.summary)")) }
                return .bool(rec[k] != nil)
            case .string(let s):
                guard case .string(let needle) = a else { throw TMSError(.typeMismatch(span, "cannot look for \(a.summary) in a string")) }
                return .bool(s.contains(needle))
            default:
                throw TMSError(.typeMismatch(r.span, "'in' needs a list, record or string on its right, not \(b.summary)"))
            }
        default:
            return try arithmetic(op, a, b, span)
        }
    }

    func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value, _ span: Span) throws -> Value {
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)):
            try Limits.checkSize(x.utf8.count + y.utf8.count, of: "string", limit: Limits.stringBytes, span)
            return .string(x + y)
        case (.add, .list(let x), .list(let y)):
            try Limits.checkSize(x.count + y.count, of: "list", limit: Limits.listItems, span)
            return .list(x + y)
        case (_, .int(let x), .int(let y)):
            let result: (Int, Bool)
            switch op {
            case .add: result = x.addingReportingOverflow(y)
            case .subtract: result = x.subtractingReportingOverflow(y)
            case .multiply: result = x.multipliedReportingOverflow(by: y)
            case .divide:
                guard y != 0 else { throw TMSError(.divisionByZero(span)) }
                // Int.min / -1 is the one quotient that overflows: reported, not trapped.
                let remainder = x.remainderReportingOverflow(dividingBy: y)
                if remainder.overflow || remainder.partialValue == 0 {
                    result = x.dividedReportingOverflow(by: y)
                } else {
                    return .double(Double(x) / Double(y))
                }
            default:
                guard y != 0 else { throw TMSError(.divisionByZero(span)) }
                result = x.remainderReportingOverflow(dividingBy: y)
            }
            if result.1 { throw TMSError(.overflow(span)) }
            return .int(result.0)
        default:
            guard let x = a.doubleValue, let y = b.doubleValue else {
                throw TMSError(.typeMismatch(span, "cannot apply '\(op.rawValue)' to \(a.summary) and \(b.summary)",
                    help: op == .add ? "'+' adds numbers and joins two strings or two lists" : nil))
            }
            let result: Double
            switch op {
            case .add: result = x + y
            case .subtract: result = x - y
            case .multiply: result = x * y
            case .divide:
                guard y != 0 else { throw TMSError(.divisionByZero(span)) }
                result = x / y
            default:
                guard y != 0 else { throw TMSError(.divisionByZero(span)) }
                result = x.truncatingRemainder(dividingBy: y)
            }
            guard result.isFinite else { throw TMSError(.overflow(span)) }
            return .double(result)
        }
    }

    func regex(_ pattern: String, _ span: Span) throws -> Regex<AnyRegexOutput> {
        if let r = regexCache[pattern] { return r }
        do {
            let r = try Regex(pattern)
            regexCache[pattern] = r
            return r
        } catch {
            throw TMSError(.badRegex(span, "\(error)"))
        }
    }
}
