import TrackingMore

extension BuiltinVerbs {
    static let trace = Verb(
        Signature(
            "trace", category: .shell, positional: [Parameter("switch", .string, help: "on, full or off")], output: "nothing",
            summary: "print every API exchange on stderr while on; trace full adds the request (URL, headers, body) and the answer as received",
            examples: [("trace on; list | first; trace off", ""), ("trace full; get sto 402934299065", "the raw exchange an agent learns to read")])
    ) { call in
        switch call.string("switch") {
        case "on": (call.interpreter.trace, call.interpreter.traceFull) = (true, false)
        case "full": (call.interpreter.trace, call.interpreter.traceFull) = (true, true)
        case "off": (call.interpreter.trace, call.interpreter.traceFull) = (false, false)
        case let other:
            throw TMSError(.badValue(call.span(of: "switch"), parameter: "switch", expected: "on, full or off", found: "'\(other ?? "")'"))
        }
        return .null
    }
}
