import TrackingMore

extension BuiltinVerbs {
    static let printVerb = Verb(
        Signature(
            "print", category: .output, positional: [Parameter("value", .any, required: false, rest: true, help: "values to print, joined by blanks")],
            input: "anything", output: "nothing",
            summary: "print values now (or the input, rendered) and pass nothing on",
            examples: [("print \"look at $n\"", "one line of text"), ("list | first 3 | print", "a table")])
    ) { call in
        let values = call.values("value")
        if !values.isEmpty {
            call.write(values.map(\.description).joined(separator: " ") + "\n")
        } else if let input = call.input {
            try await call.interpreter.emit(input)
        }
        return .null
    }

    static let echo = Verb(
        Signature(
            "echo", category: .output, positional: [Parameter("value", .any, required: false, rest: true, help: "the values to return")],
            output: "value, or list", summary: "return its arguments: one value, or a list of several",
            examples: [("echo hello", "hello"), ("echo 1 2 3 | count", "3")])
    ) { call in
        let values = call.values("value")
        return values.count == 1 ? .value(values[0]) : .value(.list(values))
    }
}
