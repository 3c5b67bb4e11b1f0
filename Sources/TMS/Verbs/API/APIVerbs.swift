import TrackingMore

/// The verbs that call the TrackingMore API, one per endpoint. Their signatures come from the
/// API catalog: the summary, the example, the endpoint, and a keyword parameter for every
/// optional field, with the catalog's help.
public enum APIVerbs {
    public static let all: [Verb] = [
        create, get, put, delete, list, batch, updatemore, realtime, recarrier, userinfo, statusnumber, notupdate,
        remote, costtime, aircargo, carriers, detect, timeline,
    ]

    static let carrierParameter = Parameter("carrier", .string, help: "the carrier code, e.g. ups or china-post")
    static let numberParameter = Parameter("number", .string, help: "the tracking number")

    /// A signature from the catalog: `positional` first, then the endpoint's other fields as
    /// `key=value` parameters.
    static func signature(
        _ id: Endpoint.ID, also: [Endpoint.ID] = [], positional: [Parameter] = [], keywords: [Parameter]? = nil,
        input: String = "nothing", output: String, summary: String? = nil, examples: [(String, String)] = []
    ) -> Signature {
        let endpoint = Catalog.endpoint(id)
        let covered: Set<String> = ["carrier_code", "tracking_number"]
        let fields = endpoint.query + endpoint.body.fields
        let derived = fields.filter { !covered.contains($0.name) && !$0.required }.map { f in
            Parameter.optional(f.name, parameterType(f.kind), help: f.help)
        }
        var s = Signature(
            endpoint.verb, aliases: endpoint.aliases, category: .api, positional: positional, keywords: keywords ?? derived,
            input: input, output: output, summary: summary ?? endpoint.summary,
            examples: [(endpoint.example, "")] + examples)
        s.endpoints = ([endpoint] + also.map(Catalog.endpoint)).map(\.title)
        return s
    }

    /// The parameter type of a catalog field. `archived` ("true"/"false"), comma lists and
    /// PUT's `status` take more forms than the wire's, and are checked when sent.
    static func parameterType(_ kind: Field.Kind) -> ParameterType {
        switch kind {
        case .boolString, .commaList: return .any
        case .int: return .int
        case .number: return .number
        case .time: return .time
        case .list, .records: return .list
        case .record: return .record
        default: return .string
        }
    }

    /// Builds the request of an endpoint: path values, query and body.
    static func request(_ id: Endpoint.ID, path: [String: String] = [:], query: [(String, String)] = [], body: JSON? = nil) -> (APIRequest, Endpoint) {
        let endpoint = Catalog.endpoint(id)
        let request = APIRequest(
            method: endpoint.method.rawValue, path: endpoint.path(path), query: query.map { (name: $0.0, value: $0.1) },
            body: body?.bytes)
        return (request, endpoint)
    }

    /// The carrier code and tracking number of a record, or an error naming what is missing.
    static func identify(_ item: Value, _ call: VerbInvocation) throws -> (carrier: String, number: String) {
        guard case .record(let r) = item else {
            throw TMSError(.needsInput(call.span, verb: call.name, expected: "trackings (records with carrier_code and tracking_number)", found: item.summary))
        }
        guard let carrier = r["carrier_code"].flatMap(text), let number = r["tracking_number"].flatMap(text) else {
            throw TMSError(.typeMismatch(call.span, "'\(call.name)' needs records with carrier_code and tracking_number", help: "fields: \(r.keys.prefix(8).joined(separator: ", "))"))
        }
        return (carrier, number)
    }

    static func text(_ v: Value) -> String? {
        switch v {
        case .string(let s): return s
        case .int, .double: return v.compactText
        default: return nil
        }
    }

    /// The keyword arguments as API fields: strings stay, numbers stay numbers, `archived` is
    /// sent as "true"/"false", time fields as unix seconds.
    static func fields(_ call: VerbInvocation, skipping: Set<String> = []) async throws -> Record {
        var r = Record()
        for (name, value, span) in call.keywordValues where !skipping.contains(name) {
            r[name] = try await apiValue(name, value, span, call)
        }
        return r
    }

    static func apiValue(_ name: String, _ value: Value, _ span: Span, _ call: VerbInvocation) async throws -> Value {
        if name == "archived" {
            switch value {
            case .bool(let b): return .string(b ? "true" : "false")
            case .string(let s) where s == "true" || s == "false": return value
            default: throw TMSError(.badValue(span, parameter: "archived", expected: "true or false", found: value.summary))
            }
        }
        if name == "status", call.name != "list" {
            return .int(try statusChange(value, span).rawValue)
        }
        if let p = call.interpreter.registry.lookup(call.name)?.signature.keywords.first(where: { $0.name == name }), p.type == .time {
            return .int(try await call.interpreter.unixTime(value, span))
        }
        return value
    }

    /// What PUT accepts for `status`: 4, 7, 8 or delivered, exception, original.
    static func statusChange(_ value: Value, _ span: Span) throws -> StatusChange {
        let word = value.intValue.map(String.init) ?? value.stringValue ?? ""
        guard let change = StatusChange(word: word) else {
            throw TMSError(Diagnostic(
                code: "E0232", message: "status can be set only to 4 (delivered), 7 (exception) or 8 (original), not \(value.summary)",
                primary: .init(span), help: "the carrier's own statuses come back with status=original"))
        }
        return change
    }

    /// Sends items in chunks of the endpoint's limit and sums the reports: numbers add up,
    /// lists are joined, so the result has the API's own shape.
    static func bulk(_ id: Endpoint.ID, _ items: [Value], _ call: VerbInvocation) async throws -> Value {
        let endpoint = Catalog.endpoint(id)
        guard case .array(_, let limit) = endpoint.body else { return .null }
        var total = Record()
        var start = 0
        let began = ContinuousClock.now
        var shown = false
        defer { if shown { call.interpreter.progress?("") } }
        repeat {
            if let progress = call.interpreter.progress, start > 0, ContinuousClock.now - began > .seconds(1) {
                progress("\(call.name): \(start) of \(items.count) sent")
                shown = true
            }
            try Task.checkCancellation()
            let chunk = Array(items[start..<min(items.count, start + limit)])
            let (request, _) = request(id, body: .list(chunk))
            let report = try await call.interpreter.send(request, endpoint, call.span)
            if case .record(let r) = report {
                for (k, v) in r.pairs {
                    switch (total[k], v) {
                    case (.int(let a)?, .int(let b)): total[k] = .int(a + b)
                    case (.list(let a)?, .list(let b)): total[k] = .list(a + b)
                    default: total[k] = v
                    }
                }
            }
            start += limit
        } while start < items.count
        try call.interpreter.reportFailures(total, items: items, call)
        return .record(total)
    }
}

extension Interpreter {
    /// Unix seconds for a time argument: unix seconds as they are, an ISO date or date-time
    /// (UTC), or an age (`7d`, `12h`, `30m`) counted back from the backend's clock (the
    /// sandbox's virtual one, or the real one).
    func unixTime(_ value: Value, _ span: Span) async throws -> Int {
        if let n = value.intValue { return n }
        let text = value.stringValue ?? ""
        if let n = Int(text) { return n }
        if let age = Coercion.duration(text), text.last?.isLetter == true {
            // `age` is at most 100 years; the clock comes from a server, so subtract checked.
            let (t, overflow) = try await clockNow(span).subtractingReportingOverflow(Int(age))
            if !overflow { return t }
        }
        if let t = UTC.parse(text) { return t }
        throw TMSError(.badValue(span, parameter: "the time", expected: Coercion.describe(.time), found: value.summary))
    }

    /// The backend's clock: the sandbox's, which moves only when asked; the real one elsewhere.
    func clockNow(_ span: Span) async throws -> Int {
        guard backendClock != .real else { return realTime() }
        let answer = try? await transport(span).send(APIRequest(method: "GET", path: Catalog.endpoint(.sandboxClock).path))
        if let now = answer?.data["unix"]?.intValue, answer?.meta.isSuccess == true {
            backendClock = .sandbox
            return now
        }
        backendClock = .real
        return realTime()
    }
}
