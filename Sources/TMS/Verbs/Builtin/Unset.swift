import TrackingMore

extension BuiltinVerbs {
    static let unset = Verb(
        Signature(
            "unset", aliases: ["reject"], category: .data, positional: [Parameter("field", .field, rest: true, help: "fields to remove")],
            input: "records", output: "records", summary: "remove fields from each record (reject is the same verb)",
            examples: [("{a: 1, b: 2} | unset b", "leaves {a: 1}")])
    ) { call in
        guard let input = call.input else { throw TMSError(.noInput(call.span, verb: call.name)) }
        let paths = call.values("field").map(BuiltinVerbs.path)
        return try await input.mapEach { item in
            var v = Value.record(try BuiltinVerbs.record(item, call))
            for p in paths { v = try BuiltinVerbs.updating(v, p[...], nil, span: call.span) }
            return v
        }
    }
}
