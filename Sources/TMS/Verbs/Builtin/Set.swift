import TrackingMore

extension BuiltinVerbs {
    static let set = Verb(
        Signature(
            "set", category: .data, anyKeywords: true, input: "records", output: "records",
            summary: "set fields of each record (a path like origin_info.weblink sets a nested field)",
            examples: [
                ("{title: \"Shoes\"} | set title=Boots order_id=A-1", "change one field and add another"),
                ("get sto 402934299065 | set status=7 | put", "mark a tracking as an exception"),
            ])
    ) { call in
        guard let input = call.input else { throw TMSError(.noInput(call.span, verb: call.name)) }
        let changes = call.keywordValues.map { (BuiltinVerbs.path(.string($0.name)), $0.value, $0.span) }
        for (path, _, span) in changes where path.count > Limits.nesting {
            throw TMSError(.nestedTooDeep(span, limit: Limits.nesting))
        }
        return try await input.mapEach { item in
            var v = Value.record(try BuiltinVerbs.record(item, call))
            for (path, value, span) in changes {
                v = try BuiltinVerbs.updating(v, path[...], value, span: span)
                try Limits.checkNesting([v], span)
            }
            return v
        }
    }
}
