import TrackingMore

extension BuiltinVerbs {
    static let select = Verb(
        Signature(
            "select", category: .data, positional: [Parameter("field", .field, rest: true, help: "fields to keep, in this order")],
            input: "records", output: "records",
            summary: "keep only the named fields, in the order given (a missing field is null)",
            examples: [("list | select tracking_number status", "two columns")])
    ) { call in
        guard let input = call.input else { throw TMSError(.noInput(call.span, verb: call.name)) }
        let fields = call.values("field").map { ($0.description, BuiltinVerbs.path($0)) }
        return try await input.mapEach { item in
            _ = try BuiltinVerbs.record(item, call)
            return .record(Record(fields.map { ($0.0, BuiltinVerbs.lookup(item, $0.1) ?? .null) }))
        }
    }
}
