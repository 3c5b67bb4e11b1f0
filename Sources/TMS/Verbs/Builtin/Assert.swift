import TrackingMore

extension BuiltinVerbs {
    static let assert = Verb(
        Signature(
            "assert", category: .shell,
            positional: [
                Parameter("condition", .expression, help: "must be true"),
                .optional("message", .string, help: "said when it is not"),
            ],
            input: "anything", output: "the input",
            summary: "stop with an error (exit code 1) unless the condition is true",
            examples: [("assert ($t.status == delivered) \"not delivered yet\"", ""), ("list | count | assert $it > 0", "")])
    ) { call in
        guard let (condition, span) = call.expression("condition") else { return .null }
        let input = try await call.input?.collect() ?? .null
        let v = try await call.evaluate(condition, it: input)
        guard case .bool(let ok) = v else { throw TMSError(.notBool(span, context: "the condition of 'assert'", found: v.summary)) }
        if !ok { throw TMSError(.assertionFailed(span, call.string("message"))) }
        return call.input == nil ? .null : .value(input)
    }
}
