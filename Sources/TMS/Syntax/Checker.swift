import TrackingMore

/// Checks a parsed script before anything runs: every verb exists, its arguments fit its
/// signature, every variable is defined somewhere it can be seen. All problems are reported
/// together, as parse errors are.
struct Checker {
    let registry: VerbRegistry
    var diagnostics: [Diagnostic] = []
    var definitions: [String: Definition]
    /// Variables visible at the current point, innermost scope last.
    var scopes: [Set<String>]
    var defDepth = 0
    /// Files already read by `source`, so a file that sources itself is read once.
    var sourced: Set<String> = []
    /// The host's allow-list of verbs, if it has one.
    var allowed: Set<String>?
    /// Whether `source` may read files; without it the checker reads none (so no diagnostic
    /// shows lines of a file the host has not allowed).
    var fileAccess = true

    static let implicitVariables: Set<String> = ["in", "it", "env", "args"]

    init(registry: VerbRegistry, knownVariables: Set<String>, knownDefinitions: [String: Definition]) {
        self.registry = registry
        self.definitions = knownDefinitions
        self.scopes = [knownVariables.union(Checker.implicitVariables)]
    }

    mutating func check(_ script: Script) {
        if let p = script.params { scopes[0].formUnion(p.declarations.map(\.name)) }
        collectDefinitions(script.body)
        check(script.body, newScope: false)
    }

    /// Defs are hoisted, so collect them all first.
    mutating func collectDefinitions(_ block: Block) {
        for s in block.statements {
            switch s.kind {
            case .def(let d):
                if registry.lookup(d.name) != nil {
                    diagnostics.append(.redefinesVerb(d.nameSpan, d.name))
                } else if let previous = definitions[d.name], previous.nameSpan != d.nameSpan,
                    previous.nameSpan.file === d.nameSpan.file
                {
                    diagnostics.append(.duplicateDef(d.nameSpan, d.name, previous: previous.nameSpan))
                } else {
                    definitions[d.name] = d
                }
                collectDefinitions(d.body)
            case .if(_, let then, let otherwise):
                collectDefinitions(then)
                if let otherwise { collectDefinitions(otherwise) }
            case .for(_, _, _, let body): collectDefinitions(body)
            case .try(let body, _, let handler):
                collectDefinitions(body)
                collectDefinitions(handler)
            case .source(let path):
                collectSourced(path)
            default: break
            }
        }
    }

    /// A `source` of a literal path is read now, so its defs and variables are known.
    mutating func collectSourced(_ path: Expression) {
        guard fileAccess, case .literal(.string(let p)) = path.kind.normalizedWord else { return }
        let resolved = resolvePath(p, relativeTo: path.span.file)
        guard !sourced.contains(resolved) else { return }
        sourced.insert(resolved)
        let bytes: [UInt8]
        do {
            bytes = try readFile(resolved, span: path.span)
        } catch let e as TMSError {
            diagnostics.append(.unreadableSource(path.span, path: p, reason: e.diagnostics.first?.message ?? "unreadable"))
            return
        } catch {
            return
        }
        let (script, errors) = Parser.parse(SourceFile(name: resolved, bytes: bytes), signature: { [registry] in registry.lookup($0)?.signature })
        diagnostics += errors
        collectDefinitions(script.body)
        scopes[scopes.count - 1].formUnion(letNames(script.body))
    }

    func letNames(_ block: Block) -> [String] {
        block.statements.compactMap {
            if case .let(let name, _, _) = $0.kind { return name }
            return nil
        }
    }

    mutating func check(_ block: Block, newScope: Bool = true, adding names: [String] = []) {
        if newScope { scopes.append(Set(names)) } else { scopes[scopes.count - 1].formUnion(names) }
        // A let anywhere in the block is visible in the whole block: order is checked at run time.
        scopes[scopes.count - 1].formUnion(letNames(block))
        for s in block.statements { check(s) }
        if newScope { scopes.removeLast() }
    }

    mutating func check(_ s: Statement) {
        switch s.kind {
        case .pipeline(let p): check(p)
        case .let(_, _, let value): check(value)
        case .def(let d):
            defDepth += 1
            let saved = scopes
            scopes = [scopes[0]]
            check(d.body, adding: d.parameters.map(\.name))
            scopes = saved
            defDepth -= 1
        case .if(let condition, let then, let otherwise):
            check(condition)
            check(then)
            if let otherwise { check(otherwise) }
        case .for(let name, _, let sequence, let body):
            check(sequence)
            check(body, adding: [name])
        case .try(let body, let name, let handler):
            check(body)
            check(handler, adding: name.map { [$0] } ?? [])
        case .source(let path): check(path)
        case .return(let e):
            if defDepth == 0 { diagnostics.append(.returnOutsideDef(s.span)) }
            if let e { check(e) }
        case .explain(let p): check(p)
        case .param(let p):
            for d in p.declarations {
                guard let v = d.defaultValue else { continue }
                check(v)
                if case .failure(let expected) = literalValue(v).map({ Coercion.value($0, to: d.type) }) ?? .success(.null) {
                    diagnostics.append(.wrongArgument(v.span, parameter: "the default of '\(d.name)'", expected: expected.text, found: "'\(v.span.text)'"))
                }
            }
        }
    }

    mutating func check(_ p: Pipeline) {
        for (i, stage) in p.stages.enumerated() {
            switch stage {
            case .command(let c): check(c)
            case .expression(let e):
                if i > 0 {
                    diagnostics.append(.expected("a verb after '|'", found: "an expression", e.span))
                }
                check(e)
            }
        }
    }

    mutating func check(_ c: Command) {
        if let d = definitions[c.name] {
            var count = 0
            for a in c.arguments {
                switch a {
                case .positional(let e):
                    count += 1
                    check(e)
                case .keyword(let name, let span, let value):
                    diagnostics.append(.unknownKeyword(span, name, verb: c.name, candidates: []))
                    check(value)
                case .block(let b): check(b)
                }
            }
            if count != d.parameters.count {
                diagnostics.append(.wrongArity(c.span, verb: c.name, expected: d.parameters.count, found: count))
            }
            return
        }
        if let allowed, !allowed.contains(c.name) {
            diagnostics.append(.verbNotAllowed(c.nameSpan, c.name))
        }
        guard let verb = registry.lookup(c.name) else {
            diagnostics.append(.unknownVerb(c.nameSpan, c.name, candidates: registry.allNames + Array(definitions.keys)))
            for a in c.arguments { checkArgument(a) }
            return
        }
        let sig = verb.signature
        var index = 0
        var given: Set<String> = []
        for (i, a) in c.arguments.enumerated() {
            switch a {
            case .positional(let e):
                guard let p = sig.positionalParameter(at: index) else {
                    // `title=Running shoes`: the words after a key=value were meant as its value.
                    if i > 0, case .keyword(let name, _, let value) = c.arguments[i - 1] {
                        diagnostics.append(.unquotedValue(e.span, verb: c.name, name: name, value: value.span, words: e.span))
                    } else {
                        diagnostics.append(.extraArgument(e.span, verb: c.name, usage: sig.usage))
                    }
                    check(e)
                    continue
                }
                index += 1
                given.insert(p.name)
                if p.type == .block {
                    diagnostics.append(.blockExpected(e.span, verb: c.name))
                    continue
                }
                if p.type == .expression {
                    checkWithIt(e)
                } else {
                    checkLiteral(e, p)
                    check(e)
                }
            case .block(let b):
                index += 1
                scopes.append(["it"])
                check(b)
                scopes.removeLast()
            case .keyword(let name, let span, let value):
                check(value)
                if let p = sig.keywords.first(where: { $0.name == name }) {
                    checkLiteral(value, p)
                } else if !sig.anyKeywords {
                    diagnostics.append(.unknownKeyword(span, name, verb: c.name, candidates: sig.keywords.map(\.name)))
                }
            }
        }
        let unmet = sig.positional.first { p in p.needs.map { given.contains(p.name) && !given.contains($0) } ?? false }
        if let missing = sig.positional.dropFirst(index).first(where: { $0.required && (!$0.rest || index == sig.positional.count - 1) })
            ?? unmet.flatMap({ u in sig.positional.first { $0.name == u.needs } })
        {
            let end = Span(file: c.span.file, start: c.span.end, end: c.span.end)
            diagnostics.append(.missingArgument(c.span.to(end), verb: c.name, parameter: missing.name.uppercased(), usage: sig.usage))
        }
    }

    mutating func checkArgument(_ a: Argument) {
        switch a {
        case .positional(let e): check(e)
        case .keyword(_, _, let e): check(e)
        case .block(let b): check(b)
        }
    }

    mutating func checkWithIt(_ e: Expression) {
        scopes.append(["it"])
        check(e)
        scopes.removeLast()
    }

    /// A literal argument of the wrong type is an error now, not at run time.
    mutating func checkLiteral(_ e: Expression, _ p: Parameter) {
        let result: Result<Value, Coercion.Expected>
        if case .word(let w) = e.kind {
            result = Coercion.word(w, to: p.type)
        } else if let v = literalValue(e) {
            result = Coercion.value(v, to: p.type)
        } else {
            return
        }
        if case .failure(let expected) = result {
            diagnostics.append(.wrongArgument(e.span, parameter: p.name.uppercased(), expected: expected.text, found: "'\(e.span.text)'"))
        }
    }

    func literalValue(_ e: Expression) -> Value? {
        switch e.kind {
        case .literal(let v): return v
        case .word(let w): return JSON.number(fromWord: w) ?? .string(w)
        case .list: return .list([])
        case .record: return .record(Record())
        case .unary(.negate, let inner):
            if case .word(let w) = inner.kind, let n = JSON.number(fromWord: w) { return n }
            return nil
        default: return nil
        }
    }

    mutating func check(_ e: Expression) {
        switch e.kind {
        case .literal, .word, .itField: break
        case .string(let parts):
            for case .interpolation(let inner) in parts { check(inner) }
        case .variable(let name, _):
            if !scopes.contains(where: { $0.contains(name) }) {
                diagnostics.append(.unknownVariable(e.span, name, candidates: scopes.flatMap { $0 }))
            }
        case .field(let base, _): check(base)
        case .list(let items): for i in items { check(i) }
        case .record(let fields): for f in fields { check(f.value) }
        case .unary(_, let o): check(o)
        case .binary(_, let l, let r):
            check(l)
            check(r)
        case .pipeline(let p): check(p)
        }
    }
}

extension Expression.Kind {
    /// A bare word as a string literal, for places that want a name (`source common.tms`).
    var normalizedWord: Expression.Kind {
        if case .word(let w) = self { return .literal(.string(w)) }
        return self
    }
}
