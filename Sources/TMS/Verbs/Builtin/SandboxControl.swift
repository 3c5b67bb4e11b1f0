import TrackingMore

extension BuiltinVerbs {
    /// How many trackings `sandbox seed` makes when no amount is given.
    static let defaultSeed = 50

    static let sandbox = Verb(
        Signature(
            "sandbox", category: .shell,
            positional: [
                Parameter("action", .string, help: "advance, reset, seed, limits, webhook or trigger"),
                Parameter("arguments", .any, required: false, rest: true,
                    help: "advance: a duration (3d, 12h); seed: how many trackings (\(defaultSeed) when not given); limits: live or off; webhook: add URL [STATUS...], list, remove URL or deliveries; trigger: STATUS CARRIER NUMBER"),
            ],
            output: "record",
            summary: "steer the sandbox: move its clock, empty it, fill it, send webhooks",
            examples: [
                ("sandbox seed 50", "50 trackings across carriers and statuses"),
                ("sandbox advance 3d", "three days pass: parcels move on"),
                ("sandbox reset", "no trackings, the clock back at its start"),
                ("sandbox limits live", "calls faster than the API allows get its 429, as live"),
                ("sandbox webhook add 'http://127.0.0.1:9000/' delivered exception", "POST those status changes there"),
                ("sandbox trigger delivered ups 1Z999AA10123456784", "that parcel is delivered now: its webhook fires"),
            ])
    ) { call in
        let action = call.string("action") ?? ""
        let arguments = call.values("arguments")
        let argumentsSpan = call.span(of: "arguments")
        func text(_ i: Int, _ expected: String) throws -> String {
            guard i < arguments.count, let s = arguments[i].stringValue ?? (arguments[i].isNull ? nil : arguments[i].description), !s.isEmpty else {
                throw TMSError(.badValue(argumentsSpan, parameter: "arguments", expected: expected, found: i < arguments.count ? arguments[i].summary : "nothing"))
            }
            return s
        }
        let id: Endpoint.ID
        var body: JSON?
        var query: [(name: String, value: String)] = []
        switch action {
        case "advance":
            let amount = arguments.first
            guard let amount, let seconds = Coercion.duration(amount) else {
                throw TMSError(.badValue(argumentsSpan, parameter: "amount", expected: "a duration such as 3d or 12h, from 0 to \(Coercion.longestDurationDays)d", found: amount?.summary ?? "nothing"))
            }
            id = .sandboxAdvance
            body = ["seconds": .int(Int(seconds))]
        case "seed":
            guard let n = arguments.first.map({ $0.intValue }) ?? defaultSeed, (1...10_000).contains(n) else {
                throw TMSError(.badValue(argumentsSpan, parameter: "amount", expected: "how many trackings, from 1 to 10000", found: arguments.first?.summary ?? "nothing"))
            }
            return .value(try await seed(n, call))
        case "reset":
            id = .sandboxReset
        case "limits":
            let setting = try text(0, "live or off")
            guard setting == "live" || setting == "off" else {
                throw TMSError(.badValue(argumentsSpan, parameter: "arguments", expected: "live or off", found: "'\(setting)'"))
            }
            id = .sandboxLimits
            body = ["limits": .string(setting)]
        case "webhook", "webhooks":
            let sub = arguments.first?.stringValue ?? "list"
            switch sub {
            case "list":
                id = .sandboxWebhooks
            case "add":
                id = .sandboxWebhookAdd
                let statuses = try arguments.dropFirst(2).enumerated().map { try text($0.offset + 2, "a status word") }
                body = ["url": .string(try text(1, "a URL such as 'http://127.0.0.1:9000/hook'")), "statuses": .list(statuses.map { .string($0) })]
            case "remove":
                id = .sandboxWebhookRemove
                body = ["url": .string(try text(1, "the URL to remove"))]
            case "deliveries":
                id = .sandboxDeliveries
                if let after = arguments.dropFirst().first?.intValue { query = [("after", String(after))] }
            default:
                throw TMSError(.badValue(argumentsSpan, parameter: "arguments", expected: "add URL [STATUS...], list, remove URL or deliveries", found: "'\(sub)'"))
            }
        case "trigger":
            id = .sandboxTrigger
            body = [
                "status": .string(try text(0, "a status such as delivered")),
                "carrier_code": .string(try text(1, "a carrier code such as ups")),
                "tracking_number": .string(try text(2, "a tracking number")),
            ]
        default:
            throw TMSError(.badValue(call.span(of: "action"), parameter: "action", expected: "advance, reset, seed, limits, webhook or trigger", found: "'\(action)'"))
        }
        let endpoint = Catalog.endpoint(id)
        let request = APIRequest(method: endpoint.method.rawValue, path: endpoint.path, query: query, body: body?.bytes)
        return .value(try await call.send(request, endpoint))
    }
}

extension BuiltinVerbs {
    /// Trackings a seed request makes at most: a larger amount goes in parts, so that Ctrl-C
    /// stops it between parts and says how many were added.
    static let seedPart = 500

    static func seed(_ n: Int, _ call: VerbInvocation) async throws -> Value {
        let endpoint = Catalog.endpoint(.sandboxSeed)
        var added = 0
        for part in 0..<(n + seedPart - 1) / seedPart {
            var body: Record = ["count": .int(min(seedPart, n - part * seedPart))]
            if n > seedPart { body["part"] = .int(part) }
            do {
                try Task.checkCancellation()
                let request = APIRequest(method: endpoint.method.rawValue, path: endpoint.path, body: JSON.record(body).bytes)
                let answer = try await call.send(request, endpoint)
                added += answer["added"]?.intValue ?? 0
                // The account's quota ran out in this part: the rest would be refused (4021).
                if let left = answer["quota_left"] { return ["added": .int(added), "quota_left": left] }
            } catch is CancellationError {
                throw TMSError(Diagnostic(
                    code: "E0271", message: "interrupted: \(added) of \(n) trackings added", primary: .init(call.span),
                    help: "they stay in the sandbox; sandbox reset empties it"), exitCode: ExitCode.interrupted)
            }
        }
        return ["added": .int(added)]
    }
}
