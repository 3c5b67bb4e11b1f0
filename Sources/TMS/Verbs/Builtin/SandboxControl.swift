import TrackingMore

extension BuiltinVerbs {
    static let sandbox = Verb(
        Signature(
            "sandbox", category: .shell,
            positional: [
                Parameter("action", .string, help: "advance, reset or seed"),
                .optional("amount", .any, help: "advance: a duration (3d, 12h); seed: how many trackings"),
            ],
            output: "record",
            summary: "steer the sandbox: move its clock, empty it, or fill it with realistic trackings",
            examples: [
                ("sandbox seed 50", "50 trackings across carriers and statuses"),
                ("sandbox advance 3d", "three days pass: parcels move on"),
                ("sandbox reset", "no trackings, the clock back at its start"),
            ])
    ) { call in
        let action = call.string("action") ?? ""
        let amount = call.value("amount")
        let id: Endpoint.ID
        var body: JSON?
        switch action {
        case "advance":
            guard let text = amount.map({ $0.description }), let seconds = Coercion.duration(text) else {
                throw TMSError(.badValue(call.span(of: "amount"), parameter: "amount", expected: "a duration such as 3d or 12h", found: amount?.summary ?? "nothing"))
            }
            id = .sandboxAdvance
            body = ["seconds": .int(Int(seconds))]
        case "seed":
            guard let n = amount?.intValue, n > 0 else {
                throw TMSError(.badValue(call.span(of: "amount"), parameter: "amount", expected: "how many trackings, e.g. 50", found: amount?.summary ?? "nothing"))
            }
            id = .sandboxSeed
            body = ["count": .int(n)]
        case "reset":
            id = .sandboxReset
        default:
            throw TMSError(.badValue(call.span(of: "action"), parameter: "action", expected: "advance, reset or seed", found: "'\(action)'"))
        }
        let endpoint = Catalog.endpoint(id)
        let request = APIRequest(method: endpoint.method.rawValue, path: endpoint.path, body: body?.bytes)
        return .value(try await call.interpreter.send(request, endpoint, call.span))
    }
}
