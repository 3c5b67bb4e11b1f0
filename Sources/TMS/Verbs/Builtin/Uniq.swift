import TrackingMore

extension BuiltinVerbs {
    static let uniq = Verb(
        Signature(
            "uniq", category: .data, positional: [.optional("field", .field, help: "compare by this field instead of the whole item")],
            input: "stream", output: "stream", summary: "drop items seen before (the first one stays)",
            examples: [("[a, b, a] | uniq", "[a, b]"), ("list | uniq carrier_code", "one tracking per carrier")])
    ) { call in
        let stream = try call.inputStream()
        let path = call.value("field").map(BuiltinVerbs.path)
        var seen = Set<Value>()
        return .stream(stream.filter { item in
            let key = path.map { BuiltinVerbs.lookup(item, $0) ?? .null } ?? item
            return seen.insert(key).inserted
        })
    }
}
