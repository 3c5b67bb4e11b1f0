import TrackingMore

extension BuiltinVerbs {
    static let whereVerb = Verb(
        Signature(
            "where", category: .data,
            positional: [.conditions("condition", help: "a bool expression; a bare word left of a comparison is a field of $it")],
            input: "stream", output: "stream", summary: "keep the items for which the condition is true",
            examples: [
                ("list | where status == delivered", "delivered trackings"),
                ("open orders.json | where destination_code in [US, CA] and weight > 2", "conditions combine with and/or"),
            ])
    ) { call in
        guard let (condition, span) = call.expression("condition") else { return .null }
        let stream = try call.inputStream()
        return .stream(stream.filter { item in
            let v = try await call.evaluate(condition, it: item)
            guard case .bool(let keep) = v else {
                throw TMSError(.notBool(span, context: "the condition of 'where'", found: v.summary))
            }
            return keep
        })
    }
}
