import TrackingMore

extension BuiltinVerbs {
    static let group = Verb(
        Signature(
            "group", category: .data, positional: [Parameter("field", .field, help: "the field to group by")],
            input: "records", output: "record of lists",
            summary: "a record with one list of items per value of the field",
            examples: [("list | group status", "{delivered: [...], transit: [...]}"), ("list | group carrier_code | each { $it }", "")])
    ) { call in
        guard let field = call.value("field") else { return .null }
        let path = BuiltinVerbs.path(field)
        var groups = Record()
        let stream = try call.inputStream()
        while let item = try await stream.next() {
            _ = try BuiltinVerbs.record(item, call)
            let key = (BuiltinVerbs.lookup(item, path) ?? .null).description
            var list = groups[key]?.listValue ?? []
            list.append(item)
            groups[key] = .list(list)
        }
        return .value(.record(groups))
    }
}
