import TrackingMore

/// Runs tms programs. One interpreter holds one session: its variables, its defs, its verbs
/// and where its output goes. Interpreters share nothing, so several can live in a process.
///
/// An interpreter is not thread-safe: use it from one task at a time.
public final class Interpreter {
    /// How results are shown and what the program may touch.
    public struct Settings: Sendable {
        public enum OutputFormat: String, Sendable, CaseIterable {
            case table, json, jsonl, csv
        }

        public var outputFormat: OutputFormat = .table
        public var color = false
        /// Columns a table may use.
        public var width = 120
        /// Whether `open`, `save` and `source` may touch files.
        public var fileAccess = true
        /// The environment `$env` shows.
        public var environment: [String: String] = [:]
        /// The API keys of the session (`holdsKey`): `$env` shows them masked, and the REPL
        /// saves no entry that holds one.
        public var secrets: [String] = []
        /// Relative paths in `open`, `save` and `source` resolve against this directory.
        public var workingDirectory: String?

        public init() {}
    }

    public var settings: Settings
    public private(set) var registry: VerbRegistry
    let globals = Scope()
    var definitions: [String: Definition] = [:]
    var callDepth = 0
    static let maxCallDepth = 400
    var regexCache: [String: Regex<AnyRegexOutput>] = [:]

    /// The API side of the session (backend, transport, what was read, bulk reports), given
    /// by the host; nil when the program may not call the API at all.
    public var api: APISession?
    /// The carrier codes known locally: a code close to one of them but not one is refused
    /// with a suggestion before a request is made. Empty: no check.
    public var carrierCodes: Set<String> = []
    /// Asks the person at the terminal to confirm a large write (deleting more than 10
    /// trackings off the built-in sandbox); nil when nobody can be asked (scripts, `--yes`).
    public var confirm: ((String) -> Bool)?

    /// The limits a host set. `readOnly` puts the API session's transport behind the write
    /// guard.
    public var capabilities = Capabilities.unrestricted {
        didSet { settings.fileAccess = capabilities.fileAccess }
    }

    /// Stops when the deadline has passed.
    func checkDeadline(_ span: Span) throws {
        try capabilities.checkDeadline(span)
    }

    /// Receives everything a program writes to its output.
    public var output: (String) -> Void
    /// Sends buffered output on its way; a host that buffers `output` sets it.
    public var flush: () -> Void = {}
    /// Receives warnings (errors are thrown, not sent here).
    public var warning: (Diagnostic) -> Void

    public init(
        settings: Settings = Settings(), verbs: [Verb] = BuiltinVerbs.all + APIVerbs.all,
        output: @escaping (String) -> Void = { print($0, terminator: "") },
        warning: @escaping (Diagnostic) -> Void = { _ in }
    ) {
        self.settings = settings
        self.registry = VerbRegistry(verbs)
        self.output = output
        self.warning = warning
    }

    /// Adds a verb; it is checked, run and documented like a built-in one.
    public func register(_ verb: Verb) {
        registry.register(verb)
    }

    public func define(_ name: String, _ value: Value) {
        globals.bind(name, value)
    }

    public func variable(_ name: String) -> Value? {
        globals.lookup(name)
    }

    /// The session's variables and defs, for completion.
    public var variableNames: [String] { globals.allNames }
    public var definitionNames: [String] { Array(definitions.keys) }

    /// Keep each printed statement's value in `$last` (the REPL's).
    public var keepsLast = false

    func write(_ text: String) {
        output(text)
    }

    // MARK: - Running programs

    /// Parses and checks a program without running it. Empty when it is sound.
    public func check(_ source: SourceFile) -> (Script, [Diagnostic]) {
        let (script, parseErrors) = Parser.parse(source, signature: { [registry] in registry.lookup($0)?.signature })
        if !parseErrors.isEmpty { return (script, parseErrors) }
        var checker = Checker(registry: registry, knownVariables: Set(globals.allNames), knownDefinitions: definitions)
        checker.allowed = capabilities.allowedVerbs
        checker.fileAccess = settings.fileAccess
        checker.check(script)
        let ordered = checker.diagnostics.enumerated().sorted { a, b in
            let x = a.element.primary?.span, y = b.element.primary?.span
            if let x, let y, x.file === y.file, x.start != y.start { return x.start < y.start }
            return a.offset < b.offset
        }
        return (script, ordered.map(\.element))
    }

    /// Runs a program: parse and check it (nothing runs if that fails, exit code 2), then run
    /// its statements, printing each statement's non-null result.
    ///
    /// - Parameter input: data for `$in` and the first stage of the first pipeline.
    /// - Returns: the value of the last statement.
    /// - Throws: `TMSError` with the diagnostics and the exit code they imply.
    @discardableResult
    public func run(_ source: SourceFile, input: PipelineValue? = nil, printResults: Bool = true) async throws -> Value {
        let (script, diagnostics) = check(source)
        if !diagnostics.isEmpty { throw TMSError(diagnostics, exitCode: ExitCode.usage) }
        return try await execute(script, input: input, printResults: printResults)
    }

    /// Runs source text; see `run(_:)`.
    @discardableResult
    public func run(_ text: String, name: String = "<input>", input: PipelineValue? = nil, printResults: Bool = true) async throws -> Value {
        try await run(SourceFile(name: name, text: text), input: input, printResults: printResults)
    }

    /// Runs a checked script.
    func execute(_ script: Script, input: PipelineValue?, printResults: Bool) async throws -> Value {
        registerDefinitions(in: script.body)
        var frame = Frame(scope: globals, input: input)
        var last: Value = .null
        for statement in script.body.statements {
            let result = try await execute(statement, &frame)
            // Only the first pipeline reads piped data as its input.
            if case .pipeline = statement.kind { frame.pipeInput = false }
            guard let result else { continue }
            if printResults {
                if keepsLast {
                    let value = try await result.collect()
                    try await emit(.value(value))
                    globals.bind("last", value)
                } else {
                    try await emit(result)
                }
                last = .null
            } else {
                last = try await result.collect()
            }
        }
        return last
    }

    /// Defs are hoisted: a script may call a def defined further down.
    func registerDefinitions(in block: Block) {
        for s in block.statements {
            switch s.kind {
            case .def(let d):
                definitions[d.name] = d
                registerDefinitions(in: d.body)
            case .if(_, let then, let otherwise):
                registerDefinitions(in: then)
                if let otherwise { registerDefinitions(in: otherwise) }
            case .for(_, _, _, let body): registerDefinitions(in: body)
            case .try(let body, _, let handler):
                registerDefinitions(in: body)
                registerDefinitions(in: handler)
            default: break
            }
        }
    }

    /// Prints a statement's result in the chosen format.
    func emit(_ result: PipelineValue) async throws {
        let renderer = Renderer(settings: settings)
        if case .stream(let s) = result, settings.outputFormat == .jsonl {
            while let v = try await s.next() { write(v.compactText + "\n") }
            return
        }
        let value = try await result.collect()
        if value.isNull { return }
        write(renderer.render(value))
    }
}

/// What an expression can see besides variables: the current item and the stage input.
struct Frame {
    var scope: Scope
    var it: Value?
    var input: PipelineValue?
    /// Whether `input` still feeds the first stage of the next pipeline (piped data at the top).
    var pipeInput = true

    init(scope: Scope, it: Value? = nil, input: PipelineValue? = nil) {
        self.scope = scope
        self.it = it
        self.input = input
    }
}

/// `return` inside a def.
struct ReturnSignal: Error {
    let value: Value
}

/// `exit [code]`.
public struct ExitRequest: Error, Sendable {
    public let code: Int32
}
