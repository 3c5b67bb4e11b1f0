import TrackingMore

extension APIVerbs {
    /// CARRIER NUMBER given as arguments, or a NUMBER alone whose carrier is found (among the
    /// account's trackings, or by detection for `create` and `realtime`); nil when the verb
    /// works on its input. Both are checked by the catalog's rules before any request.
    static func target(_ call: VerbInvocation, _ lookup: NumberLookup = .stored) async throws -> (carrier: String, number: String)? {
        guard let first = call.string("carrier") else { return nil }
        if let number = call.string("number") {
            try checkCarrier(first, call.span(of: "carrier"), call)
            _ = try wire(Catalog.carrier, .string(first), call.span(of: "carrier"))
            _ = try wire(Catalog.number, .string(number), call.span(of: "number"))
            return (first, number)
        }
        // Carrier codes hold no digits; a tracking number does.
        guard first.contains(where: \.isNumber) else {
            throw TMSError(.missingArgument(call.span, verb: call.name, parameter: "NUMBER", usage: call.interpreter.registry.lookup(call.name)?.signature.usage ?? ""))
        }
        _ = try wire(Catalog.number, .string(first), call.span(of: "carrier"))
        return (try await carrier(of: first, lookup, call), first)
    }

    /// A carrier code the local catalog lacks but has one close to (`upss`): refused with the
    /// suggestion before a round trip ends in 4015. A code with nothing close is sent as it is
    /// (the live API knows carriers the local catalog may not).
    static func checkCarrier(_ code: String, _ span: Span, _ call: VerbInvocation) throws {
        let known = call.interpreter.carrierCodes
        guard !known.isEmpty, !known.contains(code.lowercased()) else { return }
        let close = Diagnostic.closestAll(code.lowercased(), known.sorted())
        guard !close.isEmpty else { return }
        throw TMSError(.unknownCarrier(span, code, suggestions: close))
    }

    /// Deleting more trackings than this off the built-in sandbox asks first, at a terminal.
    static let confirmAbove = 10

    /// No CARRIER NUMBER and no input: the help shows both forms with what was typed
    /// (`put status=4` → `put CARRIER NUMBER status=4`, or `get CARRIER NUMBER | put status=4`).
    static func noTarget(_ call: VerbInvocation) -> TMSError {
        let given = call.keywordValues.map { " \($0.name)=\($0.value.stringValue ?? $0.value.compactText)" }.joined()
        var d = Diagnostic.missingArgument(call.span, verb: call.name, parameter: "CARRIER NUMBER, or trackings as input", usage: "")
        d.help = "give the tracking: \(call.name) CARRIER NUMBER\(given) (or a NUMBER alone), or pipe trackings in: get CARRIER NUMBER | \(call.name)\(given)"
        return TMSError(d)
    }

    static let create = Verb(
        signature(
            .create, also: [.batch], identity: .orInput, input: "nothing, or records to create in bulk",
            output: "tracking, or the batch report",
            summary: "create a tracking; with records as input, create them all (in batches of 40)",
            examples: [("open orders.csv | create", "one /trackings/batch call per 40 rows")])
    ) { call in
        if let (carrier, number) = try await target(call, .detected) {
            var body = try await fields(call)
            body["tracking_number"] = .string(number)
            body["carrier_code"] = .string(carrier)
            let (request, endpoint) = request(.create, body: .record(Record(uniqueKeys: ["tracking_number", "carrier_code"], values: [.string(number), .string(carrier)]).merging(body)))
            let tracking = try await call.send(request, endpoint)
            try call.remember(tracking)
            return .value(tracking)
        }
        guard call.input != nil else { throw noTarget(call) }
        return .value(try await createMany(call))
    }

    static let batch = Verb(
        signature(.batch, input: "records (tracking_number, carrier_code and any create field)", output: "the batch report",
            summary: "create trackings from records, 40 per call; the reports are summed")
    ) { call in
        .value(try await createMany(call))
    }

    static func createMany(_ call: VerbInvocation) async throws -> Value {
        let extra = try await fields(call)
        var items: [Value] = []
        let stream = try call.inputStream()
        while let item = try await stream.next() {
            guard case .record(var r) = item else {
                throw TMSError(.needsInput(call.span, verb: call.name, expected: "records", found: item.summary))
            }
            for (k, v) in extra.pairs { r[k] = v }
            items.append(.record(r))
        }
        guard !items.isEmpty else { return try await bulk(.batch, [], call) }
        for case .record(let r) in items where r["tracking_number"] == nil || r["carrier_code"] == nil {
            let missing = ["tracking_number", "carrier_code"].filter { r[$0] == nil }
            throw TMSError(.missingColumns(call.span, verb: call.name, missing: missing, columns: r.keys))
        }
        defer { releaseElsewhere(items) }
        return try await bulk(.batch, items, call)
    }

    static let get = Verb(
        signature(
            .get, identity: .orInput,
            input: "nothing, or trackings to read again", output: "tracking",
            examples: [("get 1Z999AA10123456784", "the number alone: found among the account's trackings"),
                       ("timeline sto 402934299065", "the parcel's story: every checkpoint, oldest first")])
    ) { call in
        // The language is the catalog's path suffix: the endpoint puts it in the path.
        let language = Catalog.language
        let lang = call.string(language.name)
        if let lang, case .failure = language.decode(.string(lang)) {
            throw TMSError(.badValue(call.span(of: language.name), parameter: language.name, expected: language.expected, found: "'\(lang)'"))
        }
        func read(_ carrier: String, _ number: String) async throws -> Value {
            var path = ["carrier_code": carrier, "tracking_number": number]
            path[language.name] = lang
            let (request, endpoint) = request(.get, path: path)
            let tracking = try await call.send(request, endpoint)
            try call.remember(tracking)
            return tracking
        }
        if let (carrier, number) = try await target(call) { return .value(try await read(carrier, number)) }
        guard let input = call.input else { throw noTarget(call) }
        return try await input.mapEach { item in
            let (carrier, number) = try identify(item, call)
            return try await read(carrier, number)
        }
    }

    static let put = Verb(
        signature(
            .put, identity: .orInput,
            input: "trackings, or nothing with CARRIER NUMBER", output: "tracking",
            summary: "send the editable fields changed since the tracking was read (and any given here); put CARRIER NUMBER field=value... changes one tracking without reading it",
            examples: [("put fedex 763069130700 status=4", "mark one tracking delivered"), ("get sto 402934299065 | set title=Boots | put", "read, change, send")])
    ) { call in
        let given = call.keywordValues
        if let (carrier, number) = try await target(call) {
            var body = Record()
            for (name, value, span) in given { body[name] = try await apiValue(name, value, span, call) }
            guard !body.isEmpty else {
                throw TMSError(.missingArgument(call.span, verb: "put", parameter: "a change (field=value)", usage: "put \(carrier) \(number) status=4"))
            }
            let (request, endpoint) = request(.put, path: ["carrier_code": carrier, "tracking_number": number], body: .record(body))
            let answer = try await call.send(request, endpoint)
            let tracking = try await trackingAfterPut(answer, sent: Record(), carrier, number, call)
            try call.remember(tracking)
            return .value(tracking)
        }
        guard let input = call.input else { throw noTarget(call) }
        return try await input.mapEach { item in
            let (carrier, number) = try identify(item, call)
            guard case .record(let record) = item else { return item }
            var body = try await changes(record, carrier, number, .put, call)
            for (name, value, span) in given { body[name] = try await apiValue(name, value, span, call) }
            let (request, endpoint) = request(.put, path: ["carrier_code": carrier, "tracking_number": number], body: .record(body))
            let answer = try await call.send(request, endpoint)
            let tracking = try await trackingAfterPut(answer, sent: record, carrier, number, call)
            try call.remember(tracking)
            return tracking
        }
    }

    /// The tracking after a PUT, from either shape of answer. A full tracking (status a word,
    /// `archived` a boolean) is taken as it is. The API document's own answer holds the
    /// editable fields with `status` as the code of the change (`"4"`, `"7"`, `"8"`, or null
    /// when none was made) and `archived` as `"true"`/`"false"`: it is laid over the record
    /// that was put, in the words a read tracking has; when the status went back to the
    /// carrier's own (8), which the answer cannot say, the tracking is read again.
    static func trackingAfterPut(_ answer: Value, sent record: Record, _ carrier: String, _ number: String, _ call: VerbInvocation) async throws -> Value {
        // A dry run's stand-in (the body that was not sent) names no tracking: kept as it is.
        guard case .record(let fields) = answer, fields["origin_info"] == nil, fields["tracking_number"] != nil else { return answer }
        var tracking = record
        for (name, value) in fields.pairs { tracking[name] = value }
        if case .string(let flag) = fields["archived"] { tracking["archived"] = .bool(flag == "true") }
        switch fields["status"] {
        case .string(let word)? where TrackingStatus(rawValue: word) != nil:
            break
        case let code? where !code.isNull:
            switch StatusChange(word: code.stringValue ?? code.compactText) {
            case .delivered?:
                tracking["status"] = .string(TrackingStatus.delivered.rawValue)
                if tracking["substatus"] != nil { tracking["substatus"] = .null }
            case .exception?:
                tracking["status"] = .string(TrackingStatus.exception.rawValue)
                if tracking["substatus"] != nil { tracking["substatus"] = .null }
            default:
                let (get, endpoint) = request(.get, path: ["carrier_code": carrier, "tracking_number": number])
                return try await call.send(get, endpoint)
            }
        default:
            // No change was made and none is in force: the carrier's status, as the record had it.
            tracking["status"] = record["status"]
        }
        return .record(tracking)
    }

    static let delete = Verb(
        signature(
            .delete, also: [.deleteMany], identity: .orInput, input: "nothing, or trackings to delete",
            output: "[] for one; the API's report for many", summary: "delete a tracking; with trackings as input, all of them (40 per call)")
    ) { call in
        if let (carrier, number) = try await target(call) {
            let (request, endpoint) = request(.delete, path: ["carrier_code": carrier, "tracking_number": number])
            return .value(try await call.send(request, endpoint))
        }
        let items = try await identities(call)
        if items.count > confirmAbove, let confirm = call.interpreter.confirm,
            !confirm("delete \(items.count) trackings at \(try call.api.backend.label)?")
        {
            throw TMSError(Diagnostic(
                code: "E0289", message: "not confirmed: none of the \(items.count) trackings was deleted", primary: .init(call.span),
                help: "--yes answers yes; explain shows what would be sent"))
        }
        return .value(try await bulk(.deleteMany, items, call))
    }

    static let updatemore = Verb(
        signature(
            .updatemore, input: "trackings with the fields to change", output: "the API's report",
            summary: "change many trackings (40 per call): each record's editable fields, and any given here")
    ) { call in
        let given = call.keywordValues
        var items: [Value] = []
        let stream = try call.inputStream()
        while let item = try await stream.next() {
            let (carrier, number) = try identify(item, call)
            var r: Record = ["tracking_number": .string(number), "carrier_code": .string(carrier)]
            if case .record(let record) = item {
                for (k, v) in try await changes(record, carrier, number, .updatemore, call).pairs { r[k] = v }
            }
            for (name, value, span) in given { r[name] = try await apiValue(name, value, span, call) }
            items.append(.record(r))
        }
        return .value(try await bulk(.updatemore, items, call))
    }

    static let notupdate = Verb(
        signature(.notupdate, identity: .orInput, input: "nothing, or trackings", output: "the API's report")
    ) { call in
        let items: [Value]
        if let (carrier, number) = try await target(call) {
            items = [["tracking_number": .string(number), "carrier_code": .string(carrier)]]
        } else {
            items = try await identities(call)
        }
        return .value(try await bulk(.notupdate, items, call))
    }

    /// The editable fields of a record that differ from the last answer about that tracking
    /// in this session. A record never read sends its non-null editable fields, but not
    /// `status`, which in a read tracking is the carrier's word (transit), not a change. (A
    /// copy kept from before a later change would send its old values: read it again first.)
    static func changes(_ record: Record, _ carrier: String, _ number: String, _ id: Endpoint.ID, _ call: VerbInvocation) async throws -> Record {
        let before = try call.api.lastRead[carrier + "|" + number]
        var body = Record()
        // The endpoint's editable fields (updatemore's lack customer_phone).
        for f in Catalog.endpoint(id).body.fields where f.editable {
            guard let now = record[f.name] else { continue }
            if let before {
                guard now != (before[f.name] ?? .null) else { continue }
            } else {
                guard !now.isNull, f.name != "status" else { continue }
            }
            body[f.name] = try wire(f, now, call.span)
        }
        return body
    }

    /// `{tracking_number, carrier_code}` of every input tracking.
    static func identities(_ call: VerbInvocation) async throws -> [Value] {
        guard call.input != nil else { throw noTarget(call) }
        var items: [Value] = []
        let stream = try call.inputStream()
        while let item = try await stream.next() {
            let (carrier, number) = try identify(item, call)
            items.append(["tracking_number": .string(number), "carrier_code": .string(carrier)])
        }
        return items
    }

    static let realtime = Verb(
        signature(.realtime, identity: .orInput, output: "tracking")
    ) { call in
        guard let (carrier, number) = try await target(call, .detected) else { throw noTarget(call) }
        var body = try await fields(call)
        body["tracking_number"] = .string(number)
        body["carrier_code"] = .string(carrier)
        let (request, endpoint) = request(.realtime, body: .record(body))
        let data = try await call.send(request, endpoint)
        return .value(data["items"]?.listValue?.first ?? data)
    }

    static let recarrier = Verb(
        signature(
            .updateCarrier, also: [.get],
            positional: [Parameter("carrier_or_new", .string, help: "the new carrier (with trackings as input), or the current one"),
                         Parameter("number", .string, required: false, help: "the tracking number (or, after a NUMBER alone, the new carrier)"),
                         Parameter("new_carrier", .string, required: false, help: "the new carrier code")],
            keywords: [], input: "nothing, or trackings", output: "tracking with the new carrier",
            summary: "move a tracking to another carrier: recarrier NEW with trackings as input, or recarrier CARRIER NUMBER NEW (or NUMBER NEW)")
    ) { call in
        func move(_ carrier: String, _ number: String, _ new: String) async throws -> Value {
            let (request, endpoint) = request(.updateCarrier, body: ["tracking_number": .string(number), "carrier_code": .string(carrier), "update_carrier_code": .string(new)])
            let answer = try await call.send(request, endpoint)
            // Under --dry-run or explain the move was not sent (the answer is what would have
            // been): there is nothing to read under the new carrier.
            if answer["update_carrier_code"] != nil { return answer }
            let (read, getEndpoint) = APIVerbs.request(.get, path: ["carrier_code": new, "tracking_number": number])
            let tracking = try await call.send(read, getEndpoint)
            try call.remember(tracking)
            return tracking
        }
        let first = call.string("carrier_or_new") ?? ""
        if let second = call.string("number") {
            if let new = call.string("new_carrier") { return .value(try await move(first, second, new)) }
            // recarrier NUMBER NEW: a number (it has digits) and a carrier code (it has none).
            if first.contains(where: \.isNumber), !second.contains(where: \.isNumber) {
                return .value(try await move(try await carrier(of: first, .stored, call), first, second))
            }
            throw TMSError(.missingArgument(call.span, verb: call.name, parameter: "NEW_CARRIER", usage: "recarrier CARRIER NUMBER NEW_CARRIER"))
        }
        guard let input = call.input else { throw noTarget(call) }
        return try await input.mapEach { item in
            let (carrier, number) = try identify(item, call)
            return try await move(carrier, number, first)
        }
    }
}

extension Record {
    /// This record with the other's fields added or replaced.
    func merging(_ other: Record) -> Record {
        var r = self
        for (k, v) in other.pairs { r[k] = v }
        return r
    }
}
