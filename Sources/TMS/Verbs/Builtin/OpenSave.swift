import TrackingMore

extension BuiltinVerbs {
    static let open = Verb(
        Signature(
            "open", category: .output,
            positional: [Parameter("file", .file, help: "a .json, .jsonl or .csv file (the format is guessed otherwise)")],
            keywords: [.optional("format", .string, help: "json, jsonl or csv, when the name does not say")],
            output: "stream of records", summary: "read records from a file, lazily",
            examples: [("open orders.csv | where status == exception", "")])
    ) { call in
        try BuiltinVerbs.checkFileAccess(call)
        guard let name = call.string("file") else { return .null }
        let span = call.span(of: "file")
        let format = try BuiltinVerbs.format(call) ?? DataFormat.from(path: name)
        let window = try ByteWindow(path: resolvePath(name, relativeTo: span.file), name: name, span: span)
        return try DataFormat.read(window, format: format)
    }

    static let save = Verb(
        Signature(
            "save", category: .output,
            positional: [Parameter("file", .file, help: "where to write; .json, .jsonl or .csv")],
            keywords: [
                .optional("format", .string, help: "json, jsonl or csv, when the name does not say"),
                .optional("force", .bool, help: "replace the file if it exists (--force)"),
            ],
            input: "anything", output: "nothing",
            summary: "write the input to a new file, all at once (a failure leaves no half-written file); --force replaces one",
            examples: [("list status=exception | save exceptions.csv", ""), ("list | save all.json --force", "replaces all.json")])
    ) { call in
        try BuiltinVerbs.checkFileAccess(call)
        guard let name = call.string("file") else { return .null }
        let span = call.span(of: "file")
        let format = try BuiltinVerbs.format(call) ?? DataFormat.from(path: name) ?? .json
        let items: [Value]
        switch try await call.input?.collect() ?? .null {
        case .list(let l): items = l
        case .null: items = []
        case let v: items = [v]
        }
        let text = format == .json && items.count == 1 && call.input.map({ if case .value(.list) = $0 { return false } else { return true } }) == true
            ? items[0].prettyText + "\n" : DataFormat.write(items, as: format)
        let replace = call.value("force") == .bool(true)
        try writeFileAtomically(resolvePath(name, relativeTo: span.file), Array(text.utf8), replace: replace, span: span)
        return .null
    }

    static func format(_ call: VerbInvocation) throws -> DataFormat? {
        guard let f = call.string("format") else { return nil }
        guard let format = DataFormat(rawValue: f) else {
            throw TMSError(.badValue(call.span(of: "format"), parameter: "format", expected: "json, jsonl or csv", found: "'\(f)'"))
        }
        return format
    }

    static func checkFileAccess(_ call: VerbInvocation) throws {
        guard call.settings.fileAccess else {
            throw TMSError(.fileAccessOff(call.span, call.name))
        }
    }
}
