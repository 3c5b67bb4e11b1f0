import TrackingMore

extension BuiltinVerbs {
    static let trace = Verb(
        Signature(
            "trace", category: .shell, positional: [Parameter("switch", .string, help: "on, full or off")], output: "nothing",
            summary: "print every API exchange on stderr while on; trace full adds the request (URL, headers, body) and the answer as received",
            examples: [("trace on; list | first; trace off", ""), ("trace full; get sto 402934299065", "the raw exchange an agent learns to read")])
    ) { call in
        let api = try call.api
        switch call.string("switch") {
        case "on": (api.trace, api.traceFull) = (true, false)
        case "full": (api.trace, api.traceFull) = (true, true)
        case "off": (api.trace, api.traceFull) = (false, false)
        case let other:
            throw TMSError(.badValue(call.span(of: "switch"), parameter: "switch", expected: "on, full or off", found: "'\(other ?? "")'"))
        }
        return .null
    }
}
