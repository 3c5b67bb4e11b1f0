import TrackingMore

extension BuiltinVerbs {
    static let table = Verb(
        Signature(
            "table", category: .output, input: "anything", output: "string",
            summary: "render the input as a table that fits the terminal",
            examples: [("list | table", "even when --output json is set")])
    ) { call in
        let value = try await call.input?.collect() ?? .null
        return .value(.string(Renderer(format: .table, width: call.settings.width, color: call.settings.color).render(value)))
    }

    static let json = Verb(
        Signature(
            "json", category: .output, keywords: [.optional("compact", .bool, help: "one line, no indentation")],
            input: "anything", output: "string", summary: "render the input as JSON (a stream becomes an array)",
            examples: [("get sto 402934299065 | json", "the tracking as the API sends it"), ("[1, 2] | json compact=true", "[1,2]")])
    ) { call in
        let value = try await call.input?.collect() ?? .null
        let compact = call.value("compact") == .bool(true)
        return .value(.string((compact ? value.compactText : value.prettyText) + "\n"))
    }

    static let csv = Verb(
        Signature(
            "csv", category: .output, input: "records", output: "string",
            summary: "render records as CSV with a header row (nested values as JSON)",
            examples: [("list | select tracking_number status | csv", "")])
    ) { call in
        let value = try await call.input?.collect() ?? .null
        return .value(.string(Renderer(format: .csv).render(value)))
    }
}
