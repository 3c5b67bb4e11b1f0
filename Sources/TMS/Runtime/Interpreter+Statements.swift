import TrackingMore

extension Interpreter {
    /// Runs one statement; returns its result, or nil for statements that have none (`let`, `def`).
    func execute(_ statement: Statement, _ frame: inout Frame) async throws -> PipelineValue? {
        try Task.checkCancellation()
        try checkDeadline(statement.span)
        switch statement.kind {
        case .pipeline(let p):
            return try await run(p, frame, input: frame.pipeInput ? frame.input : nil)
        case .let(let name, _, let value):
            let v = try await run(value, frame, input: nil).collect()
            frame.scope.bind(name, v)
            return nil
        case .def:
            return nil
        case .if(let condition, let then, let otherwise):
            let c = try await evaluate(condition, frame)
            guard case .bool(let b) = c else {
                throw TMSError(.notBool(condition.span, context: "the condition of 'if'", found: c.summary))
            }
            if b { return try await runBlock(then, frame) }
            if let otherwise { return try await runBlock(otherwise, frame) }
            return nil
        case .for(let name, _, let sequence, let body):
            let items: ValueStream
            switch sequence.kind {
            case .pipeline(let p): items = try await run(p, frame, input: nil).stream
            default:
                let v = try await evaluate(sequence, frame)
                guard case .list(let list) = v else {
                    throw TMSError(.typeMismatch(sequence.span, "'for' needs a list, not \(v.summary)"))
                }
                items = .of(list)
            }
            while let item = try await items.next() {
                var inner = frame
                inner.scope = Scope(parent: frame.scope)
                inner.scope.bind(name, item)
                for s in body.statements {
                    if let r = try await execute(s, &inner) { try await emit(r) }
                }
            }
            return nil
        case .try(let body, let errorName, let handler):
            do {
                // Collect inside the try, so that an error in a lazy stream is still caught here.
                let v = try await runBlock(body, frame)?.collect()
                return v.map { .value($0) }
            } catch let error as TMSError {
                var inner = frame
                inner.scope = Scope(parent: frame.scope)
                if let errorName { inner.scope.bind(errorName, .record(error.record)) }
                return try await runStatements(handler.statements, &inner)
            }
        case .source(let pathExpression):
            guard settings.fileAccess else { throw TMSError(.fileAccessOff(statement.span, "source")) }
            let path = try await evaluate(pathExpression, frame)
            guard case .string(let p) = path else {
                throw TMSError(.typeMismatch(pathExpression.span, "'source' needs a file name, not \(path.summary)"))
            }
            // Named by its resolved path, so that relative paths in it resolve against its folder.
            let resolved = resolvePath(p, relativeTo: pathExpression.span.file)
            let file = SourceFile(name: resolved, bytes: try readFile(resolved, span: pathExpression.span))
            let (script, diagnostics) = check(file)
            if !diagnostics.isEmpty { throw TMSError(diagnostics, exitCode: ExitCode.usage) }
            registerDefinitions(in: script.body)
            var inner = frame
            inner.pipeInput = false
            for s in script.body.statements {
                if let r = try await execute(s, &inner) { try await emit(r) }
            }
            return nil
        case .return(let e):
            var v = Value.null
            if let e { v = try await evaluate(e, frame) }
            throw ReturnSignal(value: v)
        case .param:
            return nil
        case .explain(let pipeline):
            try await explain(pipeline, frame)
            return nil
        }
    }

    /// Runs a block in a child scope; its value is that of its last statement, and the
    /// results of the statements before it are printed.
    func runBlock(_ block: Block, _ frame: Frame) async throws -> PipelineValue? {
        var inner = frame
        inner.scope = Scope(parent: frame.scope)
        inner.pipeInput = false
        return try await runStatements(block.statements, &inner)
    }

    func runStatements(_ statements: [Statement], _ frame: inout Frame) async throws -> PipelineValue? {
        var result: PipelineValue?
        for (i, s) in statements.enumerated() {
            let r = try await execute(s, &frame)
            if i == statements.count - 1 {
                result = r
            } else if let r {
                try await emit(r)
            }
        }
        return result
    }

    /// Runs a block argument (e.g. of `each`) for one item.
    ///
    /// It counts toward the call depth as a def call does: a def that returns a stream
    /// (`def f { [1] | each { f | count } }`) has returned before its block runs, so only
    /// here is the recursion seen.
    func runBlock(_ block: Block, scope: Scope, it: Value) async throws -> Value {
        guard callDepth < Interpreter.maxCallDepth else {
            throw TMSError(.recursionTooDeep(block.span, limit: Interpreter.maxCallDepth))
        }
        callDepth += 1
        defer { callDepth -= 1 }
        var frame = Frame(scope: scope, it: it, input: .value(it))
        frame.pipeInput = false
        return try await runBlock(block, frame)?.collect() ?? .null
    }

    // MARK: - Pipelines

    func run(_ pipeline: Pipeline, _ frame: Frame, input: PipelineValue?) async throws -> PipelineValue {
        var current: PipelineValue? = input
        for (i, stage) in pipeline.stages.enumerated() {
            switch stage {
            case .expression(let e):
                // `$in | ...` passes the input through without collecting it.
                if case .variable("in", let path) = e.kind, path.isEmpty, let input = frame.input {
                    current = input
                } else {
                    current = .value(try await evaluate(e, frame))
                }
            case .command(let c):
                current = try await call(c, frame, input: i == 0 ? current : current)
            }
        }
        return current ?? .null
    }

    func call(_ command: Command, _ frame: Frame, input: PipelineValue?) async throws -> PipelineValue {
        try Task.checkCancellation()
        if let definition = definitions[command.name] {
            return try await call(definition, command, frame, input: input)
        }
        guard capabilities.allows(command.name) else { throw TMSError(.verbNotAllowed(command.nameSpan, command.name)) }
        guard let verb = registry.lookup(command.name) else {
            throw TMSError(.unknownVerb(command.nameSpan, command.name, candidates: registry.allNames + Array(definitions.keys)))
        }
        let invocation = try await bind(command, verb.signature, frame, input: input)
        do {
            return try await verb.run(invocation)
        } catch let e as TMSError {
            throw e
        } catch let e as ExitRequest {
            throw e
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TMSError(Diagnostic(code: "E0299", message: "\(command.name) failed: \(error)", primary: .init(command.span)))
        }
    }

    func call(_ definition: Definition, _ command: Command, _ frame: Frame, input: PipelineValue?) async throws -> PipelineValue {
        guard callDepth < Interpreter.maxCallDepth else {
            throw TMSError(.recursionTooDeep(command.nameSpan, limit: Interpreter.maxCallDepth))
        }
        let scope = Scope(parent: globals)
        var index = 0
        for argument in command.arguments {
            guard case .positional(let e) = argument, index < definition.parameters.count else {
                throw TMSError(.wrongArity(command.span, verb: definition.name, expected: definition.parameters.count, found: command.arguments.count))
            }
            scope.bind(definition.parameters[index].name, try await evaluate(e, frame))
            index += 1
        }
        guard index == definition.parameters.count else {
            throw TMSError(.wrongArity(command.span, verb: definition.name, expected: definition.parameters.count, found: index))
        }
        var inner = Frame(scope: scope, input: input)
        inner.pipeInput = false
        callDepth += 1
        defer { callDepth -= 1 }
        // The chain of defs an error happened in; a deep one is cut to its innermost calls.
        func annotate(_ error: TMSError) -> TMSError {
            var e = error
            guard !e.diagnostics.isEmpty else { return e }
            let shown = 6
            if e.diagnostics[0].secondary.count < shown {
                e.diagnostics[0].secondary.append(.init(command.nameSpan, "in '\(definition.name)', called here"))
            } else {
                let prefix = "and more calls: "
                let more = e.diagnostics[0].notes.firstIndex { $0.hasPrefix(prefix) }
                let count = more.flatMap { Int(e.diagnostics[0].notes[$0].dropFirst(prefix.count).prefix { $0.isNumber }) } ?? 0
                let note = prefix + "\(count + 1) outer def call\(count == 0 ? "" : "s") not shown"
                if let more { e.diagnostics[0].notes[more] = note } else { e.diagnostics[0].notes.append(note) }
            }
            return e
        }
        do {
            switch try await runStatements(definition.body.statements, &inner) {
            case nil: return .null
            case .value(let v)?: return .value(v)
            case .stream(let s)?:
                // Still lazy; an error while it is read is reported with the call.
                return .stream(ValueStream {
                    do { return try await s.next() } catch let e as TMSError { throw annotate(e) }
                })
            }
        } catch let r as ReturnSignal {
            return .value(r.value)
        } catch let e as TMSError {
            throw annotate(e)
        }
    }

    /// Evaluates a command's arguments against its verb's signature.
    func bind(_ command: Command, _ signature: Signature, _ frame: Frame, input: PipelineValue?) async throws -> VerbInvocation {
        var positional: [(parameter: Parameter, value: ArgumentValue, span: Span)] = []
        var keywords: [(name: String, value: ArgumentValue, span: Span)] = []
        var index = 0
        for argument in command.arguments {
            switch argument {
            case .positional(let e):
                guard let p = signature.positionalParameter(at: index) else {
                    throw TMSError(.extraArgument(e.span, verb: command.name, usage: signature.usage))
                }
                index += 1
                if p.type == .expression {
                    positional.append((p, .expression(e), e.span))
                } else {
                    positional.append((p, .value(try await coerce(e, to: p, frame)), e.span))
                }
            case .block(let b):
                guard let p = signature.positionalParameter(at: index) else {
                    throw TMSError(.extraArgument(b.span, verb: command.name, usage: signature.usage))
                }
                index += 1
                positional.append((p, .block(b), b.span))
            case .keyword(let name, let nameSpan, let e):
                let p = signature.keywords.first { $0.name == name } ?? Parameter(name, .any, help: "")
                keywords.append((name, .value(try await coerce(e, to: p, frame)), nameSpan.to(e.span)))
            }
        }
        return VerbInvocation(
            name: command.name, span: command.span, input: input, positional: positional, keywords: keywords,
            interpreter: self, scope: frame.scope)
    }

    /// An argument's value as its parameter's type wants it. A bare word keeps its text
    /// where a string is wanted.
    func coerce(_ e: Expression, to parameter: Parameter, _ frame: Frame) async throws -> Value {
        if case .word(let w) = e.kind {
            switch Coercion.word(w, to: parameter.type) {
            case .success(let v): return v
            case .failure(let expected):
                throw TMSError(.badValue(e.span, parameter: parameter.name, expected: expected.text, found: "'\(w)'"))
            }
        }
        let v = try await evaluate(e, frame)
        switch Coercion.value(v, to: parameter.type) {
        case .success(let c): return c
        case .failure(let expected):
            throw TMSError(.badValue(e.span, parameter: parameter.name, expected: expected.text, found: v.summary))
        }
    }
}
