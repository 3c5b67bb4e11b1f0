import TrackingMore

/// The API side of a session: which backend, the transport to it (opened on the first
/// request), what was last read (so `put` sends only what changed), the clock relative times
/// count back from, the requests made, and the reports of bulk calls. The API verbs own it;
/// the host makes one and gives it to the interpreter (`interpreter.api`), which knows
/// nothing of HTTP.
///
/// Like an interpreter, a session is used from one task at a time.
public final class APISession {
    /// Which clock relative times (`7d`) count back from.
    public enum Clock: Sendable {
        /// The real one (the live API).
        case real
        /// The sandbox's virtual clock.
        case sandbox
        /// Ask the backend once: a `tms serve` answers `GET /sandbox/clock`, others do not.
        case probe
    }

    /// Where requests go. `explain` and the prompt show it.
    public let backend: Backend
    /// The API key, for `explain` (only ever shown masked) and for the REPL to keep out of
    /// its history.
    public let key: String?
    /// Makes the transport when first needed (opening a sandbox database or an HTTP client
    /// costs time a one-liner on local data should not pay).
    let connect: () throws -> any Transport
    var connected: (any Transport)?
    /// The sandbox's clock for the built-in sandbox, a probe for another server, the real
    /// clock for the live API.
    public var clock: Clock
    /// The editable fields of trackings as last read, so `put` sends only what changed.
    var lastRead: [String: Record] = [:]
    /// API requests made so far (for the budget, and to say what finished when cancelled).
    public private(set) var requestsMade = 0
    /// Set when a bulk operation finished with some items failed (exit code 7).
    public private(set) var hadBulkFailures = false
    /// The exit code of a run that ended without an error: 7 when a bulk call left failed
    /// items (SHELL.md), else 0. The command line and the script tests both use it.
    public var exitCode: Int32 { hadBulkFailures ? ExitCode.bulkPartial : 0 }
    /// Where `failed-TIME.jsonl` files go; the current directory when nil.
    public var failedItemsDirectory: String?
    /// Whether a bulk call's failures worth retrying are written to a file (not for a
    /// sandbox in memory, unless asked with --failed-items).
    public var writesFailedItems = true

    /// Writes that `--dry-run` stopped, to be described through `log` (a PUT field by field).
    /// A guard's callback appends here.
    public let notSent: ExchangeLog
    /// Prints every exchange (method, path, meta code, time) through `log` while on.
    public var trace = false
    /// With `trace`: each request in full (method, URL, headers with the key masked, body)
    /// and the answer's envelope as received.
    public var traceFull = false
    /// The last webhook delivery trace has shown (APISession+Webhooks.swift).
    var webhookMark: Int?
    /// Receives trace lines and notes about waiting (stderr for the command line).
    public var log: (String) -> Void = { _ in }
    /// Shows a progress line for bulk work that takes more than a second (a terminal only);
    /// nil when there is nowhere to show it. An empty string clears it.
    public var progress: ((String) -> Void)?
    /// How many requests a bulk call (`create`/`batch`, `delete`, `updatemore`, `notupdate`,
    /// `remote` on a stream) keeps in flight at once: its window. A backend's rate limit still
    /// paces them (on the live API, the transport's token bucket decides when each goes).
    /// Kept within `inFlightRange`.
    public var inFlight = APISession.defaultInFlight {
        didSet { inFlight = min(max(inFlight, APISession.inFlightRange.lowerBound), APISession.inFlightRange.upperBound) }
    }
    /// The window when none is set: `--in-flight`, a profile's `in_flight`. The HTTP client
    /// opens at most 8 connections to a host, and requests beyond them wait in its queue, so
    /// that each connection has its next request at hand when an answer comes rather than
    /// after tms has read it and made the next: 10,000 creates into tms serve on 2 cores took
    /// 71.2 ms against 74.3 with 8 (one tms serve, 31 runs each in turn; docs/performance.md).
    public static let defaultInFlight = 24
    /// The windows a user may ask for.
    public static let inFlightRange = 1...32

    /// A session on `backend`; `connect` makes the transport on the first request. `notSent`
    /// is the log a `GuardedTransport` in dry-run mode appends the writes it stopped to.
    public init(backend: Backend, key: String? = nil, notSent: ExchangeLog = ExchangeLog(), connect: @escaping () throws -> any Transport) {
        self.backend = backend
        self.notSent = notSent
        self.key = key
        self.connect = connect
        switch backend {
        case .sandbox: clock = .sandbox
        case .endpoint: clock = .probe
        case .live: clock = .real
        }
    }

    /// A new session on the same backend and key whose transport is `wrap` around this one's
    /// (a recorder, a fault injector): what it says about requests starts afresh.
    public func wrapping(_ wrap: @escaping (any Transport) -> any Transport) -> APISession {
        let connect = self.connect
        let session = APISession(backend: backend, key: key, notSent: notSent) { wrap(try connect()) }
        session.clock = clock
        session.failedItemsDirectory = failedItemsDirectory
        session.writesFailedItems = writesFailedItems
        (session.trace, session.log, session.progress, session.inFlight) = (trace, log, progress, inFlight)
        return session
    }

    /// Opens the transport now, as it is (without the interpreter's guard): for a host that
    /// sends a request of its own outside any script.
    public func openTransport() throws -> any Transport {
        try connect()
    }

    /// The transport, connected on first use; behind the write guard when the host made the
    /// interpreter read-only.
    func transport(_ capabilities: Capabilities) throws -> any Transport {
        if let connected { return connected }
        var t = try connect()
        if capabilities.readOnly { t = GuardedTransport(t, mode: .readOnly) }
        connected = t
        return t
    }

    /// Sends one request and returns its data; an answer whose meta is not a success is a
    /// `TMSError` pointing at `span`. The deadline and the request budget apply.
    func send(_ request: APIRequest, _ endpoint: Endpoint, _ span: Span, _ capabilities: Capabilities) async throws -> Value {
        try begin(span, capabilities)
        let webhookMark = await webhookTraceMark(before: endpoint, capabilities)
        let envelope: Envelope
        let started = ContinuousClock.now
        do {
            envelope = try await transport(capabilities).send(request)
        } catch {
            throw failure(error, request, endpoint, span)
        }
        return try await finish(
            envelope, request, endpoint, span, elapsed: ContinuousClock.now - started, webhookMark: webhookMark, capabilities,
            notSent: notSent.drain())
    }

    /// Before each request: stops when cancelled, past the deadline or out of budget, and
    /// counts the request.
    func begin(_ span: Span, _ capabilities: Capabilities) throws {
        try Task.checkCancellation()
        try capabilities.checkDeadline(span)
        if let budget = capabilities.requestBudget, requestsMade >= budget { throw TMSError(.budgetUsed(span, budget)) }
        requestsMade += 1
    }

    /// A request that got no answer, as the error a user reads: the transport's refusal of a
    /// write (E0233), or a failure to reach the backend (E0231, exit 6).
    func failure(_ error: any Error, _ request: APIRequest, _ endpoint: Endpoint, _ span: Span) -> any Error {
        switch error {
        case let e as TMSError:
            return e
        case is CancellationError:
            return CancellationError()
        case TransportError.writeRefused(let what, let reason):
            return TMSError(Diagnostic(code: "E0233", message: "\(what) was not sent: \(reason)", primary: .init(span, "this writes")))
        default:
            if trace { log("trace: \(request.method) \(request.path) failed: \(error)") }
            return TMSError(Diagnostic(code: "E0231", message: "\(endpoint.title) failed: \(error)", primary: .init(span)), exitCode: ExitCode.network)
        }
    }

    /// After an answer: the writes a dry run stopped (`notSent`) are described, the trace
    /// shows the exchange, and the answer's data is returned, or its meta as an error.
    func finish(
        _ envelope: Envelope, _ request: APIRequest, _ endpoint: Endpoint, _ span: Span, elapsed: Duration, webhookMark: Int?,
        _ capabilities: Capabilities, notSent described: [ExchangeLog.Entry]
    ) async throws -> Value {
        for case .write(let request, let endpoint) in described {
            log("dry run: not sent:\n" + describe(request, endpoint).dropLast())
        }
        if trace {
            let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            if traceFull {
                log(fullTrace(request, envelope, milliseconds: milliseconds))
            } else {
                log("trace: \(request.method) \(request.path)\(request.queryString) -> meta \(envelope.meta.code) \(envelope.meta.type) (\(milliseconds) ms)")
            }
            if let webhookMark, envelope.meta.isSuccess { await traceWebhooks(since: webhookMark, capabilities) }
        }
        guard envelope.meta.isSuccess else {
            var error = TMSError.api(envelope.meta, endpoint, request, span)
            if key == nil, [MetaCode.unauthorized, .invalidKey].map(\.rawValue).contains(envelope.meta.code), backend != .sandbox {
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

    /// After a bulk call: a warning sums the refused items by meta code, with what to do about
    /// each; those worth sending again (later, or once fixed) are written to
    /// `failed-TIME.jsonl` to be fed back in, when there are some and files may be written
    /// (`writesFailedItems`), and the path is printed. The run ends with exit code 7.
    ///
    /// When the bulk stopped partway (`unfinished`: the items whose chunk failed for good and
    /// those after it), the report still comes, true as far as it goes: those items are not
    /// known to be done (a lost answer may have done some), so they go into the file too, and
    /// the warning says how many and why.
    func reportFailures(_ report: BulkReport, items: [Value], _ call: VerbInvocation, unfinished: [Value] = [], reason: String? = nil) throws {
        let failures = BulkFailures(report, verb: call.name)
        guard failures.count > 0 || !unfinished.isEmpty else { return }
        hadBulkFailures = true
        let inputs = items.filter { failures.worthRetrying.contains(BulkFailures.key($0)) } + unfinished
        var help: String?
        if !inputs.isEmpty, writesFailedItems, call.settings.fileAccess {
            let directory = failedItemsDirectory.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
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
            help = "the \(inputs.count) worth retrying \(inputs.count == 1 ? "is" : "are") in \(name): open \(name) | \(call.name)"
        } else if !inputs.isEmpty {
            help = "\(inputs.count) worth retrying: no failed-items file was written (--failed-items DIR asks for one)"
        }
        var message = failures.count > 0 ? failures.message(of: items.count) : "0 of \(items.count) items failed"
        if !unfinished.isEmpty { message += "; \(unfinished.count) more were not done or not confirmed (\(reason ?? "the run stopped"))" }
        call.warn(Diagnostic(
            .warning, code: "W0001", message: message, primary: .init(call.span),
            notes: failures.notes, help: help))
    }

    /// Unix seconds for a time argument: unix seconds as they are, an ISO date or date-time
    /// (UTC), or an age (`7d`, `12h`, `30m`) counted back from the backend's clock (the
    /// sandbox's virtual one, or the real one).
    func unixTime(_ value: Value, _ span: Span, _ capabilities: Capabilities) async throws -> Int {
        if let n = value.intValue { return n }
        let text = value.stringValue ?? ""
        if let n = Int(text) { return n }
        if let age = Coercion.duration(text), text.last?.isLetter == true {
            // `age` is at most 100 years; the clock comes from a server, so subtract checked.
            let (t, overflow) = try await clockNow(capabilities).subtractingReportingOverflow(Int(age))
            if !overflow { return t }
        }
        if let t = UTC.parse(text) { return t }
        throw TMSError(.badValue(span, parameter: "the time", expected: Coercion.describe(.time), found: value.summary))
    }

    /// The backend's clock: the sandbox's, which moves only when asked; the real one elsewhere.
    func clockNow(_ capabilities: Capabilities) async throws -> Int {
        guard clock != .real else { return realTime() }
        let answer = try? await transport(capabilities).send(APIRequest(method: "GET", path: Catalog.endpoint(.sandboxClock).path))
        if let now = answer?.data["unix"]?.intValue, answer?.meta.isSuccess == true {
            clock = .sandbox
            return now
        }
        clock = .real
        return realTime()
    }
}

extension VerbInvocation {
    /// The interpreter's API session, or an error when the host gave it none.
    var api: APISession {
        get throws {
            guard let api = interpreter.api else {
                throw TMSError(.noBackend(span))
            }
            return api
        }
    }

    /// Sends a request of `endpoint` through the session, pointing errors at this call.
    func send(_ request: APIRequest, _ endpoint: Endpoint) async throws -> Value {
        try await api.send(request, endpoint, span, interpreter.capabilities)
    }

    /// Unix seconds for a time argument (see `APISession.unixTime`).
    func unixTime(_ value: Value, _ span: Span) async throws -> Int {
        try await api.unixTime(value, span, interpreter.capabilities)
    }

    /// Remembers the trackings of an answer, for `put`.
    func remember(_ value: Value) throws {
        try api.remember(value)
    }

    /// A warning through the interpreter's warning callback.
    func warn(_ diagnostic: Diagnostic) {
        interpreter.warning(diagnostic)
    }
}
