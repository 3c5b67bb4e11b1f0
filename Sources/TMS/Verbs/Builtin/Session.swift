import TrackingMore

extension BuiltinVerbs {
    static let sleep = Verb(
        Signature(
            "sleep", category: .shell, positional: [Parameter("duration", .duration, help: "e.g. 500ms, 20s, 2m")],
            output: "nothing", summary: "wait; Ctrl-C or cancelling the task ends the wait",
            examples: [("sleep 1.5s", "")])
    ) { call in
        guard case .double(let seconds)? = call.value("duration") else { return .null }
        var wait = Duration.milliseconds(Int64(seconds * 1000))
        let deadline = call.interpreter.capabilities.deadline
        if let deadline { wait = min(wait, max(.zero, deadline - ContinuousClock.now)) }
        try await Task.sleep(for: wait)
        if let deadline, ContinuousClock.now >= deadline, wait < .milliseconds(Int64(seconds * 1000)) {
            throw TMSError(.deadlinePassed(call.span))
        }
        return .null
    }

    static let exit = Verb(
        Signature(
            "exit", category: .shell, positional: [.optional("code", .int, help: "the exit code, 0 by default")],
            output: "nothing", summary: "stop the script with an exit code",
            examples: [("exit 3", "")])
    ) { call in
        let code = call.int("code") ?? 0
        guard (0...255).contains(code) else {
            throw TMSError(.badValue(call.span(of: "code"), parameter: "code", expected: "an exit code from 0 to 255", found: String(code)))
        }
        throw ExitRequest(code: Int32(code))
    }

    static let vars = Verb(
        Signature(
            "vars", category: .shell, output: "list of records", summary: "the variables defined in this session, with their kinds",
            examples: [("let n = 3; vars", "")])
    ) { call in
        let rows = call.scope.allNames.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.compactMap { name -> Value? in
            guard let v = call.scope.lookup(name) else { return nil }
            let preview = v.compactText
            return .record(Record([
                ("name", .string("$" + name)), ("kind", .string(v.kindName)),
                ("value", .string(preview.count > 60 ? String(preview.prefix(59)) + "…" : preview)),
            ]))
        }
        return .value(.list(rows))
    }
}
