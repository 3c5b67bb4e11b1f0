import TrackingMore

/// A verb: its signature and what it does. Built-in verbs, API verbs and a host's own verbs
/// are all of this one type and live in one `VerbRegistry`.
public struct Verb: Sendable {
    public var signature: Signature
    public var run: @Sendable (VerbInvocation) async throws -> PipelineValue

    public init(_ signature: Signature, run: @escaping @Sendable (VerbInvocation) async throws -> PipelineValue) {
        self.signature = signature
        self.run = run
    }
}

/// The verbs an interpreter knows, by name and alias.
public struct VerbRegistry: Sendable {
    private var verbs: [String: Verb] = [:]
    private var aliases: [String: String] = [:]

    public init(_ verbs: [Verb] = []) {
        for v in verbs { register(v) }
    }

    public mutating func register(_ verb: Verb) {
        verbs[verb.signature.name] = verb
        for a in verb.signature.aliases { aliases[a] = verb.signature.name }
    }

    public func lookup(_ name: String) -> Verb? {
        verbs[name] ?? aliases[name].flatMap { verbs[$0] }
    }

    /// Every name a verb answers to, for suggestions and completion.
    public var allNames: [String] { Array(verbs.keys) + Array(aliases.keys) }

    public var all: [Verb] { verbs.values.sorted { $0.signature.name < $1.signature.name } }
}

/// An argument after binding: a value, or an unevaluated block or expression the verb runs.
public enum ArgumentValue {
    case value(Value)
    case block(Block)
    case expression(Expression)
}

/// One call of a verb: its input, its bound arguments, and the interpreter it runs in.
public struct VerbInvocation {
    public let name: String
    /// The whole command, for errors about the call.
    public let span: Span
    public let input: PipelineValue?
    let positional: [(parameter: Parameter, value: ArgumentValue, span: Span)]
    let keywords: [(name: String, value: ArgumentValue, span: Span)]
    let interpreter: Interpreter
    let scope: Scope

    /// The value of a positional or keyword parameter, or nil when it was not given.
    public func value(_ name: String) -> Value? {
        if let p = positional.first(where: { $0.parameter.name == name }), case .value(let v) = p.value { return v }
        if let k = keywords.first(where: { $0.name == name }), case .value(let v) = k.value { return v }
        return nil
    }

    /// All values of a rest parameter.
    public func values(_ name: String) -> [Value] {
        positional.compactMap { p in
            guard p.parameter.name == name, case .value(let v) = p.value else { return nil }
            return v
        }
    }

    public func string(_ name: String) -> String? { value(name)?.stringValue }
    public func int(_ name: String) -> Int? { value(name)?.intValue }

    /// The span of an argument by parameter name, or the command's span.
    public func span(of name: String) -> Span {
        positional.first(where: { $0.parameter.name == name })?.span
            ?? keywords.first(where: { $0.name == name })?.span ?? span
    }

    /// The `field=value` keyword arguments, in order.
    public var keywordValues: [(name: String, value: Value, span: Span)] {
        keywords.compactMap { k in
            guard case .value(let v) = k.value else { return nil }
            return (k.name, v, k.span)
        }
    }

    func block(_ name: String) -> Block? {
        for p in positional where p.parameter.name == name {
            if case .block(let b) = p.value { return b }
        }
        return nil
    }

    func expression(_ name: String) -> (Expression, Span)? {
        for p in positional where p.parameter.name == name {
            if case .expression(let e) = p.value { return (e, p.span) }
        }
        return nil
    }

    /// The input as a stream; an error when the verb was called with no input.
    public func inputStream() throws -> ValueStream {
        guard let input else { throw TMSError(.noInput(span, verb: name)) }
        return input.stream
    }

    /// Runs a block argument with `$it` bound to an item.
    func run(_ block: Block, it: Value) async throws -> Value {
        try await interpreter.runBlock(block, scope: scope, it: it)
    }

    /// Evaluates an expression argument with `$it` bound to an item.
    func evaluate(_ expression: Expression, it: Value) async throws -> Value {
        try await interpreter.evaluate(expression, scope: scope, it: it)
    }

    /// Sends an API request through the interpreter's API session, so the write guard, the
    /// request budget, the deadline and trace apply to host verbs as to built-in ones.
    /// Returns the answer's `data`; an error answer is thrown as a `TMSError`.
    public func send(_ request: APIRequest) async throws -> Value {
        guard let (endpoint, _) = Catalog.route(request.method.uppercased(), request.path) else {
            throw TMSError(Diagnostic(code: "E0263", message: "\(request.method) \(request.path) is not an endpoint of the API", primary: .init(span)))
        }
        return try await send(request, endpoint)
    }

    /// Whether the host's task was cancelled: a long host verb should stop.
    public var isCancelled: Bool { Task.isCancelled }

    /// Writes text to the output (stdout for the command line).
    public func write(_ text: String) {
        interpreter.write(text)
    }

    public var settings: Interpreter.Settings { interpreter.settings }

    /// Tells the user something beside the output (stderr for the command line), such as
    /// the address a receiver listens on: through the API session's log.
    public func note(_ text: String) {
        interpreter.api?.log(text)
    }

    /// Sends what the program has written so far on its way, before a verb waits (`listen`
    /// between webhooks), so output the host buffers is not held back.
    public func flushOutput() {
        interpreter.flush()
    }
}
