import TrackingMore

extension BuiltinVerbs {
    static let table = Verb(
        Signature(
            "table", category: .output, input: "anything", output: "nothing (prints)",
            summary: "print the input as a table that fits the terminal, whatever --output says",
            examples: [("list | table", "a table even when --output json is set")])
    ) { call in
        let value = try await call.input?.collect() ?? .null
        call.write(Renderer(format: .table, width: call.settings.width, color: call.settings.color).render(value))
        return .null
    }

    static let json = Verb(
        Signature(
            "json", category: .output, keywords: [.optional("compact", .bool, help: "one line, no indentation")],
            input: "anything", output: "nothing (prints)", summary: "print the input as JSON (a stream becomes an array), whatever --output says",
            examples: [("get sto 402934299065 | json", "the tracking as the API sends it"), ("[1, 2] | json compact=true", "[1,2]")])
    ) { call in
        let value = try await call.input?.collect() ?? .null
        let compact = call.value("compact") == .bool(true)
        call.write((compact ? value.compactText : value.prettyText) + "\n")
        return .null
    }

    static let csv = Verb(
        Signature(
            "csv", category: .output, input: "records", output: "nothing (prints)",
            summary: "print records as CSV with a header row (nested values as JSON), whatever --output says",
            examples: [("list | select tracking_number status | csv", "")])
    ) { call in
        let value = try await call.input?.collect() ?? .null
        call.write(Renderer(format: .csv).render(value))
        return .null
    }
}
