import TrackingMore

extension BuiltinVerbs {
    /// `status [CODE]`: the statuses and sub-statuses of the catalog, in plain words.
    static let status = Verb(
        Signature(
            "status", category: .shell,
            positional: [.optional("code", .any, help: "a status (exception), a sub-status (transit004), or a number put accepts (4, 7, 8)")],
            output: "list of records: status, substatus, meaning; with a CODE, a record whose tell is what to say to the customer",
            summary: "what the status and sub-status codes mean, what to tell the customer, and what put status=4, 7 or 8 does",
            examples: [
                ("status", "every status, each followed by its sub-statuses"),
                ("status transit004", "one sub-status explained"),
                ("status 7", "what put status=7 does"),
            ])
    ) { call in
        guard let given = call.value("code") else {
            return .value(.list(StatusReference.overview))
        }
        if given.isNull {
            throw TMSError(.nullStatusCode(call.span(of: "code")))
        }
        let code = (given.stringValue ?? given.compactText).lowercased()
        guard let entry = StatusReference.explain(code) else {
            throw TMSError(.unknownStatusCode(call.span(of: "code"), code, candidates: StatusReference.codes))
        }
        return .value(.record(entry))
    }
}

/// The explanations `status` gives, made from `TrackingStatus`, `SubStatus` and `StatusChange`.
enum StatusReference {
    /// Sub-statuses of the older edition of the vendor's table, which newer data does not use.
    static let olderSubStatuses: [(code: String, meaning: String, tell: String)] = [
        ("exception001", "marked exception: no information for longer than the account allows",
         "The carrier has had no news of your parcel for too long; we are asking them and will tell you more."),
        ("exception002", "marked exception: in transit for longer than the account allows",
         "Your parcel has been on its way longer than it should; we are asking the carrier and will tell you more."),
        ("exception003", "marked exception: undelivered for longer than the account allows",
         "The carrier has not delivered your parcel for too long; we are asking them to deliver it or send it back."),
    ]

    /// Every status, each followed by its sub-statuses: `{status, substatus, meaning}`.
    static var overview: [Value] {
        TrackingStatus.allCases.flatMap { s -> [Value] in
            let head: Value = .record(Record([("status", .string(s.rawValue)), ("substatus", .null), ("meaning", .string(s.meaning))]))
            return [head] + SubStatus.allCases.filter { $0.status == s }.map { sub in
                .record(Record([("status", .string(s.rawValue)), ("substatus", .string(sub.rawValue)), ("meaning", .string(sub.meaning))]))
            }
        }
    }

    /// Every code `status CODE` explains, for suggestions.
    static var codes: [String] {
        TrackingStatus.allCases.map(\.rawValue) + SubStatus.allCases.map(\.rawValue) + olderSubStatuses.map(\.code)
            + StatusChange.allCases.map { String($0.rawValue) } + ["original"]
    }

    /// The record that explains a status, a sub-status or a number `put` accepts; nil for none.
    static func explain(_ code: String) -> Record? {
        if let s = TrackingStatus(rawValue: code) {
            let subs = SubStatus.allCases.filter { $0.status == s }.map(\.rawValue)
            return Record([
                ("code", .string(code)), ("kind", "status"), ("meaning", .string(s.meaning)),
                ("substatuses", .string(subs.isEmpty ? "none" : subs.joined(separator: " "))),
                ("put", .string(put(s))),
                ("tell", .string(s.tellCustomer)),
            ])
        }
        if let sub = SubStatus(rawValue: code) {
            return Record([
                ("code", .string(code)), ("kind", "sub-status"), ("status", .string(sub.status.rawValue)),
                ("meaning", .string(sub.meaning)),
                ("tell", .string(sub.tellCustomer)),
            ])
        }
        if let older = olderSubStatuses.first(where: { $0.code == code }) {
            return Record([
                ("code", .string(code)), ("kind", "sub-status (older edition of the API's table)"), ("status", "exception"),
                ("meaning", .string(older.meaning)),
                ("tell", .string(older.tell)),
            ])
        }
        if let change = StatusChange(word: code), code == "original" || Int(code) != nil {
            return Record([
                ("code", .string(String(change.rawValue))), ("kind", "status number for put and updatemore"),
                ("sets", .string("\(change)")), ("meaning", .string(meaning(change))),
                ("usage", .string("get CARRIER NUMBER | set status=\(change.rawValue) | put   (status=\(change) is the same)")),
            ])
        }
        return nil
    }

    static func meaning(_ change: StatusChange) -> String {
        switch change {
        case .delivered:
            return "marks the tracking delivered by hand, whatever the carrier's data says; status=8 undoes it"
        case .exception:
            return "marks the tracking exception by hand, whatever the carrier's data says; status=8 undoes it"
        case .original:
            return "gives back the status the carrier's own data gives, undoing an earlier 4 or 7"
        }
    }

    /// What `put` can do about a status.
    static func put(_ status: TrackingStatus) -> String {
        switch status {
        case .delivered: return "status=4 (or status=delivered) sets it by hand; status=8 undoes that"
        case .exception: return "status=7 (or status=exception) sets it by hand; status=8 undoes that"
        default: return "cannot set it: put sets only 4 (delivered), 7 (exception) and 8 (the carrier's own status)"
        }
    }
}
