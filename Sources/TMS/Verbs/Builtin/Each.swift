import TrackingMore

extension BuiltinVerbs {
    static let each = Verb(
        Signature(
            "each", category: .data, positional: [Parameter("body", .block, help: "run for each item, with the item as $it")],
            input: "stream", output: "stream", summary: "run a block for each item; the results form the output",
            examples: [("[1, 2, 3] | each { $it * 10 }", "10 20 30"), ("list | each { $it.tracking_number }", "just the numbers")])
    ) { call in
        guard let body = call.block("body") else { return .null }
        let stream = try call.inputStream()
        return .stream(stream.map { item in try await call.run(body, it: item) })
    }
}
