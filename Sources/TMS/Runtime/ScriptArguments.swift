import TrackingMore

extension Interpreter {
    /// Binds a script's command-line arguments: `$args` holds them all as strings, and the
    /// parameters of its `param` block get values from `--name value`, `--name=value`,
    /// `--flag` (a bool), or position, checked against their types; missing ones take their
    /// defaults.
    ///
    /// - Throws: `TMSError` with exit code 2 (usage) for an unknown, missing or ill-typed argument.
    public func bindArguments(_ arguments: [String], to script: Script) async throws {
        globals.bind("args", .list(arguments.map { .string($0) }))
        guard let params = script.params else { return }
        let declarations = params.declarations
        var values: [String: Value] = [:]
        var positional: [String] = []
        var i = 0
        func usage(_ message: String, help: String? = nil) -> TMSError {
            TMSError(.scriptArgument(message, help: help ?? "see: tms \(script.source.name) --help"), exitCode: ExitCode.usage)
        }
        while i < arguments.count {
            let a = arguments[i]
            i += 1
            guard a.hasPrefix("--"), a.count > 2 else {
                positional.append(a)
                continue
            }
            var name = String(a.dropFirst(2))
            var text: String?
            if let eq = name.firstIndex(of: "=") {
                text = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let d = declarations.first(where: { $0.name == name }) else {
                let hint = Diagnostic.didYouMean(name, declarations.map(\.name), prefix: "--")
                throw usage("unknown argument '--\(name)'", help: hint)
            }
            if text == nil {
                if d.type == .bool {
                    text = "true"
                } else if i < arguments.count {
                    text = arguments[i]
                    i += 1
                } else {
                    throw usage("'--\(name)' needs a value (\(Coercion.describe(d.type)))")
                }
            }
            values[name] = try coerceArgument(text ?? "", d, usage)
        }
        // Positional arguments fill the required parameters first, then those with defaults.
        let unfilled = declarations.filter { values[$0.name] == nil && $0.defaultValue == nil }
            + declarations.filter { values[$0.name] == nil && $0.defaultValue != nil }
        if positional.count > unfilled.count {
            throw usage("too many arguments: '\(positional[unfilled.count])' is not expected")
        }
        for (d, text) in zip(unfilled, positional) { values[d.name] = try coerceArgument(text, d, usage) }
        for d in declarations {
            if let v = values[d.name] {
                globals.bind(d.name, v)
            } else if let e = d.defaultValue {
                let v: Value
                if case .word(let w) = e.kind {
                    v = try coerceArgument(w, d, usage)
                } else {
                    let given = try await evaluate(e, Frame(scope: globals))
                    guard case .success(let c) = Coercion.value(given, to: d.type) else {
                        throw usage("the default of '--\(d.name)' must be \(Coercion.describe(d.type))", help: nil)
                    }
                    v = c
                }
                globals.bind(d.name, v)
            } else {
                throw usage("missing argument '--\(d.name)' (\(Coercion.describe(d.type)))")
            }
        }
    }

    /// A command-line argument as its parameter's type wants it. Lists and records are
    /// written as JSON; a list may also be written `a,b,c`.
    private func coerceArgument(_ text: String, _ d: ParamBlock.Declaration, _ usage: (String, String?) -> TMSError) throws -> Value {
        if d.type == .list || d.type == .record {
            if let v = try? JSON.parse(text), case .success(let c) = Coercion.value(v, to: d.type) { return c }
            if d.type == .list, !text.hasPrefix("[") {
                return .list(text.split(separator: ",", omittingEmptySubsequences: false).map { Coercion.word(String($0), to: .any).valueOrNull })
            }
            throw usage("'--\(d.name)' must be \(d.type == .list ? "a list: a,b,c or JSON [...]" : "a JSON record {...}"), not '\(text)'", nil)
        }
        switch Coercion.word(text, to: d.type) {
        case .success(let v): return v
        case .failure(let expected): throw usage("'--\(d.name)' must be \(expected.text), not '\(text)'", nil)
        }
    }

    /// The `--help` text of a script: its parameters with types, defaults and comments.
    public static func scriptHelp(_ script: Script) -> String {
        let name = script.source.name
        guard let params = script.params, !params.declarations.isEmpty else {
            return "usage: tms \(name) [ARGS...]\n\nThe script takes no declared parameters; its arguments are in $args.\n"
        }
        let usage = params.declarations.map { d in
            let flag = d.type == .bool ? "--\(d.name)" : "--\(d.name) \(d.type.rawValue.uppercased())"
            return d.defaultValue == nil ? flag : "[\(flag)]"
        }
        var out = "usage: tms \(name) " + usage.joined(separator: " ") + "\n\nparameters:\n"
        let rows = params.declarations.map { d -> (String, String) in
            var left = "--\(d.name) \(d.type.rawValue)"
            if let v = d.defaultValue { left += " = " + v.span.text } else { left += " (required)" }
            return (left, d.help)
        }
        let width = rows.map { $0.0.count }.max() ?? 0
        for (left, help) in rows {
            out += "  " + left + (help.isEmpty ? "" : String(repeating: " ", count: width - left.count) + "  " + help) + "\n"
        }
        return out
    }

    /// Runs a script file with its arguments, as `tms FILE ARGS...` does (`run(script:)`).
    /// Relative paths in it resolve against its folder.
    @discardableResult
    public func run(file path: String, arguments: [String] = [], printResults: Bool = true) async throws -> Value {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch let e as TMSError {
            throw TMSError(e.diagnostics, exitCode: ExitCode.usage)
        }
        return try await run(script: SourceFile(name: path, bytes: bytes), arguments: arguments, printResults: printResults)
    }

    /// Runs a script with its arguments: the one way `tms FILE ARGS...`, `tms -c`, stdin,
    /// `run(file:)` and the tests run one. It is checked whole first (its diagnostics throw,
    /// exit code 2); `--help` or `-h` among the arguments prints its usage instead of running it,
    /// when it has a `param` block or checked clean; then the `param` block is bound and it runs
    /// with `input` as `$in`.
    @discardableResult
    public func run(
        script source: SourceFile, arguments: [String] = [], input: PipelineValue? = nil, printResults: Bool = true
    ) async throws -> Value {
        let (script, diagnostics) = check(source)
        if arguments.contains("--help") || arguments.contains("-h"), diagnostics.isEmpty || script.params != nil {
            output(Interpreter.scriptHelp(script))
            return .null
        }
        if !diagnostics.isEmpty { throw TMSError(diagnostics, exitCode: ExitCode.usage) }
        try await bindArguments(arguments, to: script)
        return try await run(checked: script, input: input, printResults: printResults)
    }

    /// Runs a script that `check` accepted; see `run(_:)`.
    @discardableResult
    public func run(checked script: Script, input: PipelineValue? = nil, printResults: Bool = true) async throws -> Value {
        try await execute(script, input: input, printResults: printResults)
    }

    /// Data for `$in`: JSON, JSON lines or CSV, detected from the bytes.
    public static func data(_ bytes: [UInt8], name: String) -> PipelineValue? {
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
        do {
            return try DataFormat.read(ByteWindow(bytes, name: name), format: nil)
        } catch {
            return .stream(ValueStream { throw error })
        }
    }
}
