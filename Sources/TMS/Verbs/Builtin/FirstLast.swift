import TrackingMore

extension BuiltinVerbs {
    static let first = Verb(
        Signature(
            "first", category: .data, positional: [.optional("n", .int, help: "how many; without it one item, not a list")],
            input: "stream", output: "item, or list of n",
            summary: "the first item, or the first n items; stops the stages before it once it has them",
            examples: [("list | first 5", "reads one page, not all of them"), ("[a, b, c] | first", "a")])
    ) { call in
        let stream = try call.inputStream()
        guard let n = call.int("n") else { return .value(try await stream.next() ?? .null) }
        guard n >= 0 else { throw TMSError(.badValue(call.span(of: "n"), parameter: "n", expected: "a count of 0 or more", found: String(n))) }
        var taken = 0
        return .stream(ValueStream {
            guard taken < n else { return nil }
            taken += 1
            return try await stream.next()
        })
    }

    static let last = Verb(
        Signature(
            "last", category: .data, positional: [.optional("n", .int, help: "how many; without it one item, not a list")],
            input: "stream", output: "item, or list of n", summary: "the last item, or the last n items",
            examples: [("[a, b, c] | last 2", "[b, c]")])
    ) { call in
        let stream = try call.inputStream()
        let n = call.int("n")
        if let n, n < 0 { throw TMSError(.badValue(call.span(of: "n"), parameter: "n", expected: "a count of 0 or more", found: String(n))) }
        let keep = n ?? 1
        var ring: [Value] = []
        while let v = try await stream.next() {
            ring.append(v)
            if ring.count > keep { ring.removeFirst(ring.count - keep) }
        }
        if n == nil { return .value(ring.last ?? .null) }
        return .value(.list(ring))
    }
}
