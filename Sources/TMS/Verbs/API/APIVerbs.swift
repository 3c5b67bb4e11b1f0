import TrackingMore

/// The verbs that call the TrackingMore API, one per endpoint. Their signatures come from the
/// API catalog: the summary, the example, the endpoint, and a keyword parameter for every
/// optional field, with the catalog's help.
///
/// `all` is generated from the verb files by the VerbRegistry plugin: a `static let NAME =
/// Verb(...)` in an `extension APIVerbs` is registered.
public enum APIVerbs {

    /// How a verb takes a tracking's identity (the catalog's `.identity` fields).
    enum Identity {
        /// Not at all.
        case none
        /// CARRIER NUMBER, always.
        case required
        /// CARRIER NUMBER, or trackings as input.
        case orInput
    }

    /// A signature from the catalog: CARRIER NUMBER when the verb takes `identity`, then the
    /// endpoint's `.positional` fields in order, then its other fields as `key=value`
    /// parameters, each with the catalog's help. `positional` replaces the derived positional
    /// parameters (`recarrier`'s three forms, `aircargo`'s list).
    static func signature(
        _ id: Endpoint.ID, also: [Endpoint.ID] = [], identity: Identity = .none, orInput: Bool = false, positional: [Parameter]? = nil,
        keywords: [Parameter]? = nil, input: String = "nothing", output: String, summary: String? = nil,
        examples: [(String, String)] = []
    ) -> Signature {
        let endpoint = Catalog.endpoint(id)
        let fields = endpoint.query + endpoint.body.fields
        var derived = identityParameters(identity)
        let positionalFields = fields.filter { $0.role == .positional }
        let optional = orInput || identity == .orInput
        for (i, f) in positionalFields.enumerated() {
            // With input as an alternative, each one needs the next.
            let next = i + 1 < positionalFields.count ? positionalFields[i + 1].name : nil
            derived.append(Parameter(
                f.name, f.kind == .list ? .string : parameterType(f.kind), required: !optional && f.required, rest: f.kind == .list,
                needs: optional ? next : nil, help: f.help))
        }
        // A path suffix (get's `lang`) is a keyword too.
        let keywordParameters = (fields + [endpoint.pathSuffix].compactMap { $0 }).filter { $0.role == .keyword }.map { f in
            Parameter.optional(f.name, parameterType(f.kind), help: f.help)
        }
        var s = Signature(
            endpoint.verb, aliases: endpoint.aliases, category: .api, positional: positional ?? derived,
            keywords: keywords ?? keywordParameters, input: input, output: output, summary: summary ?? endpoint.summary,
            examples: [(endpoint.example, "")] + examples)
        s.endpoints = ([endpoint] + also.map(Catalog.endpoint)).map(\.title)
        return s
    }

    /// CARRIER NUMBER as a verb takes them.
    static func identityParameters(_ identity: Identity) -> [Parameter] {
        switch identity {
        case .none: return []
        case .required:
            return [Parameter("carrier", .string, help: Catalog.carrier.help), Parameter("number", .string, help: Catalog.number.help)]
        case .orInput:
            return [
                Parameter("carrier", .string, required: false, help: "the carrier code, e.g. ups; a NUMBER alone is looked up; without either, the trackings come as input"),
                Parameter("number", .string, required: false, help: Catalog.number.help),
            ]
        }
    }

    /// The parameter type of a catalog field. `archived` ("true"/"false"), comma lists and
    /// PUT's `status` take more forms than the wire's, and are checked by the field's codec
    /// when sent.
    static func parameterType(_ kind: Field.Kind) -> ParameterType {
        switch kind {
        case .boolString, .commaList, .statusChange: return .any
        case .int: return .int
        case .number: return .number
        case .time: return .time
        case .list, .records: return .list
        case .record: return .record
        case .string, .status, .bool: return .string
        }
    }

    /// The catalog field a verb's argument sets: among the fields of the verb's endpoints.
    static func field(_ name: String, _ call: VerbInvocation) -> Field? {
        let titles = call.interpreter.registry.lookup(call.name)?.signature.endpoints ?? []
        for e in Catalog.endpoints where titles.contains(e.title) {
            if let f = e.fields.first(where: { $0.name == name }) { return f }
        }
        return nil
    }

    /// The keyword arguments as API fields, each in its wire form.
    static func fields(_ call: VerbInvocation, skipping: Set<String> = []) async throws -> Record {
        var r = Record()
        for (name, value, span) in call.keywordValues where !skipping.contains(name) {
            r[name] = try await apiValue(name, value, span, call)
        }
        return r
    }

    /// A value for a field in the wire form its kind has (`archived=true` as "true", a status
    /// word as 4/7/8, a time as unix seconds, digits for a text as a string), checked by the
    /// same rules the sandbox answers with: a value the API would refuse is an error here,
    /// before anything is sent, pointing at the argument.
    static func apiValue(_ name: String, _ value: Value, _ span: Span, _ call: VerbInvocation) async throws -> Value {
        guard let field = field(name, call) else { return value }
        let given = field.kind == .time ? .int(try await call.unixTime(value, span)) : value
        return try wire(field, given, span)
    }

    /// A value checked and encoded by a field's codec.
    static func wire(_ field: Field, _ value: Value, _ span: Span) throws -> Value {
        switch field.encode(value) {
        case .success(let v): return v
        case .failure(let problem):
            // A status word for a list filter: the guidance that knows PUT's numbers.
            if field.kind == .status { throw TMSError(.listStatus(span, value)) }
            throw TMSError(.refusedValue(span, problem, found: value.summary))
        }
    }

    /// A tracking's carrier and number checked as the API checks them.
    static func identity(_ carrier: String, _ number: String, _ span: Span) throws -> (carrier: String, number: String) {
        let fields = Catalog.endpoint(.get).pathParameters
        for f in fields {
            _ = try wire(f, .string(f.name == "carrier_code" ? carrier : number), span)
        }
        return (carrier, number)
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

    /// Sends items in chunks of the endpoint's limit, several chunks in flight at once (the
    /// session's `inFlight`), and sums the reports in the chunks' order, so the result has the
    /// API's own shape: a bulk tracking endpoint's with `BulkReport` (whose failed items the
    /// session reports), `remote`'s by adding counts and joining lists.
    ///
    /// When a chunk fails for good (or the run is stopped), no new chunk starts; the report
    /// still comes, true as far as it goes: the chunks answered are summed, and the items of
    /// the others are not known to be done, so they go to the failed-items file.
    static func bulk(_ id: Endpoint.ID, _ items: [Value], _ call: VerbInvocation) async throws -> Value {
        let endpoint = Catalog.endpoint(id)
        guard case .array(_, let limit) = endpoint.body else { preconditionFailure("\(endpoint.title) takes no array") }
        var report = endpoint.report.map(BulkReport.init)
        if let report, items.isEmpty { return report.json }
        let api = try call.api
        // No items: one call all the same (`remote` answers its empty report).
        let chunks = items.isEmpty ? [items[...]] : stride(from: 0, to: items.count, by: limit).map { items[$0..<min(items.count, $0 + limit)] }
        let began = ContinuousClock.now
        var shown = false
        defer { if shown { api.progress?("") } }
        var total = Record()
        /// An answer summed into the report, or for an endpoint with none, into `total`.
        func take(_ answer: Value) {
            if let shape = endpoint.report {
                report?.add(BulkReport(shape, parsing: answer))
                return
            }
            guard case .record(let r) = answer else { return }
            for (k, v) in r.pairs {
                switch (total[k], v) {
                case (.int(let a)?, .int(let b)): total[k] = .int(a + b)
                case (.list(let a)?, .list(let b)): total[k] = .list(a + b)
                default: total[k] = v
                }
            }
        }
        // Each answer is summed as it is read, while later requests are on the way.
        let outcome = await api.sendInFlight(
            chunks.count, request: { request(id, body: .list(Array(chunks[$0]))).0 }, endpoint, call.span, call.interpreter.capabilities
        ) { answered, answer in
            if let answer { take(answer) }
            guard let progress = api.progress, answered < chunks.count, ContinuousClock.now - began > .seconds(1) else { return }
            progress("\(call.name): \(min(items.count, answered * limit)) of \(items.count) done")
            shown = true
        }
        // The answers' trackings are the report's too: let go of elsewhere (see `releaseElsewhere`).
        defer { releaseElsewhere(outcome.answers.compactMap { $0 }) }
        if let (_, error) = outcome.failure {
            // Stopped partway: what is known is reported, the rest goes to the failed-items
            // file. A refusal of the whole call (a bad key) before any chunk was answered is
            // only its error, as for a single request.
            let tms = error as? TMSError
            let refusedOutright = tms.map { $0.api != nil && $0.exitCode != ExitCode.network } ?? false
            if let report, !refusedOutright || outcome.answers.contains(where: { $0 != nil }) {
                let unfinished = zip(chunks, outcome.answers).filter { $0.1 == nil }.flatMap { Array($0.0) }
                try api.reportFailures(report, items: items, call, unfinished: unfinished, reason: tms?.diagnostics.first?.message ?? "interrupted")
            }
            throw error
        }
        guard let report else { return .record(total) }
        try api.reportFailures(report, items: items, call)
        return report.json
    }
}
