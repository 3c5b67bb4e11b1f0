import TrackingMore

extension BuiltinVerbs {
    static let sort = Verb(
        Signature(
            "sort", category: .data,
            positional: [
                .optional("field", .field, help: "the field to sort by; without it (or with just asc or desc) the items themselves"),
                .optional("order", .string, help: "asc (the default) or desc"),
            ],
            input: "stream", output: "list", summary: "sort items by a field; null sorts first",
            examples: [("list | sort updated_at desc", "newest first"), ("[3, 1, 2] | sort", "1 2 3"), ("[3, 1, 2] | sort desc", "3 2 1")])
    ) { call in
        var order = call.string("order") ?? "asc"
        var field = call.value("field")
        // `sort desc` sorts the items themselves, in that order.
        if call.value("order") == nil, let f = field?.stringValue, f == "asc" || f == "desc" {
            order = f
            field = nil
        }
        guard order == "asc" || order == "desc" else {
            throw TMSError(.badValue(call.span(of: "order"), parameter: "order", expected: "asc or desc", found: "'\(order)'"))
        }
        let path = field.map(BuiltinVerbs.path)
        let items = try await call.inputStream().collect()
        let keys = try items.map { item -> Value in
            guard let path else { return item }
            guard case .record = item else {
                throw TMSError(.needsInput(call.span, verb: "sort", expected: "records", found: item.summary))
            }
            return BuiltinVerbs.lookup(item, path) ?? .null
        }
        // Check every pair of kinds once, so the error names the values that cannot be ordered.
        var firstOfKind: [String: Value] = [:]
        for k in keys where !k.isNull {
            let kind = k.isNumber ? "number" : k.kindName
            firstOfKind[kind] = firstOfKind[kind] ?? k
        }
        if firstOfKind.count > 1 {
            let kinds = firstOfKind.values.map(\.summary).sorted()
            throw TMSError(.incomparable(call.span, kinds[0], kinds[1]))
        }
        if let sample = firstOfKind.values.first, sample.recordValue != nil {
            throw TMSError(.typeMismatch(call.span, "records cannot be sorted; sort by one of their fields"))
        }
        let sorted = zip(items, keys).enumerated().sorted { a, b in
            let c = JSON.compare(a.element.1, b.element.1) ?? 0
            if c == 0 { return a.offset < b.offset }  // stable
            return order == "desc" ? c > 0 : c < 0
        }
        return .value(.list(sorted.map(\.element.0)))
    }
}
