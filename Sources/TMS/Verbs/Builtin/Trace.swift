import TrackingMore

extension BuiltinVerbs {
    static let trace = Verb(
        Signature(
            "trace", category: .shell, positional: [Parameter("switch", .string, help: "on or off")], output: "nothing",
            summary: "print every API exchange (method, path, meta code, time) on stderr while on",
            examples: [("trace on; list | first; trace off", "")])
    ) { call in
        switch call.string("switch") {
        case "on": call.interpreter.trace = true
        case "off": call.interpreter.trace = false
        case let other:
            throw TMSError(.badValue(call.span(of: "switch"), parameter: "switch", expected: "on or off", found: "'\(other ?? "")'"))
        }
        return .null
    }
}
