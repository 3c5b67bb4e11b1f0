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
        /// Relative paths in `open`, `save` and `source` resolve against this directory.
        public var workingDirectory: String?
        /// Where `failed-TIME.jsonl` files go; the current directory when nil.
        public var failedItemsDirectory: String?

        public init() {}
    }

    public var settings: Settings
    public private(set) var registry: VerbRegistry
    let globals = Scope()
    var definitions: [String: Definition] = [:]
    var callDepth = 0
    static let maxCallDepth = 400
    var regexCache: [String: Regex<AnyRegexOutput>] = [:]

    /// Which clock relative times (`7d`) count back from.
    public enum BackendClock: Sendable {
        /// The real one (the live API).
        case real
        /// The sandbox's virtual clock.
        case sandbox
        /// Ask the backend once: a `tms serve` answers `GET /sandbox/clock`, others do not.
        case probe
    }

    public var backendClock = BackendClock.real
    /// Set when a bulk operation finished with some items failed (exit code 7).
    public private(set) var hadBulkFailures = false
    /// The editable fields of trackings as last read, so `put` sends only what changed.
    var lastRead: [String: Record] = [:]

    /// Makes the transport API requests go through, when first needed (opening a sandbox
    /// database or an HTTP client costs time a one-liner on local data should not pay).
    public var connect: (() throws -> any Transport)?
    var connected: (any Transport)?
    /// Where requests go and with which key, for `explain` (the key is only ever shown masked).
    public var backendURL = Interpreter.sandboxURL
    /// How `explain` shows the built-in sandbox: as a `tms serve` on its default port.
    public static let sandboxURL = "http://127.0.0.1:8080/v2"
    public var backendKey: String?
    /// The carrier codes known locally: a code close to one of them but not one is refused
    /// with a suggestion before a request is made. Empty: no check.
    public var carrierCodes: Set<String> = []

    /// The limits a host set. `readOnly` wraps the transport in the write guard.
    public var capabilities = Capabilities.unrestricted {
        didSet { settings.fileAccess = capabilities.fileAccess }
    }
    /// API requests made so far (for the budget, and to say what finished when cancelled).
    public private(set) var requestsMade = 0

    /// The transport, connected on first use.
    func transport(_ span: Span) throws -> any Transport {
        if let connected { return connected }
        guard let connect else {
            throw TMSError(Diagnostic(code: "E0230", message: "no API backend is set up for this interpreter", primary: .init(span)))
        }
        var t = try connect()
        if capabilities.readOnly { t = GuardedTransport(t, mode: .readOnly) }
        connected = t
        return t
    }

    /// Stops when the deadline has passed.
    func checkDeadline(_ span: Span) throws {
        if let deadline = capabilities.deadline, ContinuousClock.now >= deadline {
            throw TMSError(.deadlinePassed(span))
        }
    }

    /// Writes that `--dry-run` stopped, for the interpreter to describe through `log` (with
    /// a PUT's change field by field). A guard's callback appends here.
    public let notSent = ExchangeLog()

    /// Prints every exchange (method, path, meta code, time) through `log` while on.
    public var trace = false
    /// The last webhook delivery trace has shown (Interpreter+Webhooks.swift).
    var webhookMark: Int?
    /// With `trace`: each request in full (method, URL, headers with the key masked, body)
    /// and the answer's envelope as received.
    public var traceFull = false
    /// Receives trace lines and notes about waiting (stderr for the command line).
    public var log: (String) -> Void = { _ in }
    /// Asks the person at the terminal to confirm a large write (deleting more than 10
    /// trackings off the built-in sandbox); nil when nobody can be asked (scripts, `--yes`).
    public var confirm: ((String) -> Bool)?
    /// Shows a progress line for bulk work that takes more than a second (a terminal only);
    /// nil when there is nowhere to show it. An empty string clears it.
    public var progress: ((String) -> Void)?

    /// Sends one request and returns its data; an answer whose meta is not a success is a
    /// `TMSError` pointing at `span`.
    func send(_ request: APIRequest, _ endpoint: Endpoint, _ span: Span) async throws -> Value {
        try Task.checkCancellation()
        try checkDeadline(span)
        if let budget = capabilities.requestBudget, requestsMade >= budget { throw TMSError(.budgetUsed(span, budget)) }
        requestsMade += 1
        let webhookMark = await webhookTraceMark(before: endpoint, span)
        let envelope: Envelope
        let started = ContinuousClock.now
        do {
            envelope = try await transport(span).send(request)
        } catch let e as TMSError {
            throw e
        } catch is CancellationError {
            throw CancellationError()
        } catch TransportError.writeRefused(let what, let reason) {
            throw TMSError(Diagnostic(code: "E0233", message: "\(what) was not sent: \(reason)", primary: .init(span, "this writes")))
        } catch {
            if trace { log("trace: \(request.method) \(request.path) failed: \(error)") }
            throw TMSError(Diagnostic(code: "E0231", message: "\(endpoint.title) failed: \(error)", primary: .init(span)), exitCode: ExitCode.network)
        }
        for case .write(let request, let endpoint) in notSent.drain() {
            log("dry run: not sent:\n" + describe(request, endpoint).dropLast())
        }
        if trace {
            let ms = (ContinuousClock.now - started).components
            let elapsed = ms.seconds * 1000 + ms.attoseconds / 1_000_000_000_000_000
            if traceFull {
                log(fullTrace(request, envelope, milliseconds: elapsed))
            } else {
                log("trace: \(request.method) \(request.path)\(request.queryString) -> meta \(envelope.meta.code) \(envelope.meta.type) (\(elapsed) ms)")
            }
            if let webhookMark, envelope.meta.isSuccess { await traceWebhooks(since: webhookMark, span) }
        }
        guard envelope.meta.isSuccess else {
            var error = TMSError.api(envelope.meta, endpoint, request, span)
            if backendKey == nil, [401, 4001].contains(envelope.meta.code), backendURL != Interpreter.sandboxURL {
                error.diagnostics[0].help = "no API key was sent: set TRACKINGMORE_API_KEY (or give it with --api-key-stdin, or in a profile)"
            }
            throw error
        }
        return envelope.data
    }

    /// Remembers the editable fields of trackings an answer holds (for `put`).
    func remember(_ value: Value) {
        switch value {
        case .list(let items): for i in items { remember(i) }
        case .record(let r):
            guard let c = r["carrier_code"]?.stringValue, let n = r["tracking_number"]?.stringValue else { return }
            if lastRead.count > 10_000 { lastRead.removeAll() }
            var fields = Record()
            for f in Catalog.editableFields { fields[f.name] = r[f.name] ?? .null }
            lastRead[c + "|" + n] = fields
        default: break
        }
    }

    /// After a bulk call: the items the API refused are written to `failed-TIME.jsonl` (to be
    /// fed back in), a one-line warning says so, and the run ends with exit code 7.
    func reportFailures(_ report: Record, items: [Value], _ call: VerbInvocation) throws {
        var failed: [(String, String)] = []
        for e in report["errors"]?.listValue ?? [] {
            failed.append((e["carrier_code"]?.description ?? "", e["tracking_number"]?.description ?? ""))
        }
        for t in report["trackings"]?.listValue ?? [] {
            let item = t["meta"] ?? t
            if let code = item["code"]?.intValue, code != 200, code != 201 {
                failed.append((item["carrier_code"]?.description ?? "", item["tracking_number"]?.description ?? ""))
            }
        }
        guard !failed.isEmpty else { return }
        hadBulkFailures = true
        let keys = Set(failed.map { $0.0 + "|" + $0.1 })
        let inputs = items.filter { keys.contains(($0["carrier_code"]?.description ?? "") + "|" + ($0["tracking_number"]?.description ?? "")) }
        var note = ""
        if settings.fileAccess {
            let directory = settings.failedItemsDirectory.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
            let text = Array(inputs.map { $0.compactText + "\n" }.joined().utf8)
            // A new file, never another run's: the exclusive write refuses a name taken even
            // between the look and the write (two runs in one second), and the next is tried.
            var name = directory + "failed-\(realTime()).jsonl"
            for n in 2...1000 {
                do {
                    try writeFileAtomically(name, text, replace: false, span: call.span)
                    break
                } catch let e as TMSError where e.diagnostics.first?.code == Diagnostic.fileExistsCode && n < 1000 {
                    name = directory + "failed-\(realTime())-\(n).jsonl"
                }
            }
            note = "; they are in \(name), to feed back in with: open \(name) | \(call.name)"
        }
        warning(Diagnostic(.warning, code: "W0001", message: "\(failed.count) of \(items.count) items failed\(note)", primary: .init(call.span)))
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
