import TrackingMore

extension BuiltinVerbs {
    static let count = Verb(
        Signature(
            "count", category: .data, input: "stream", output: "int", summary: "how many items came in",
            examples: [("list status=delivered | count", "delivered trackings")])
    ) { call in
        let stream = try call.inputStream()
        var n = 0
        while try await stream.next() != nil { n += 1 }
        return .value(.int(n))
    }
}
