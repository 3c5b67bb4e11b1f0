import TrackingMore

/// How the carrier of a number given alone is found.
enum NumberLookup {
    /// Among the account's trackings (`GET /trackings/get?numbers=`): one match is used; none
    /// or several is an error that names the candidates.
    case stored
    /// By `POST /carriers/detect` (for `create` and `realtime`, whose tracking need not be
    /// stored): one candidate is used; several is an error that names them.
    case detected
}

extension APIVerbs {
    /// The carrier of a tracking number given without one.
    static func carrier(of number: String, _ lookup: NumberLookup, _ call: VerbInvocation) async throws -> String {
        let span = call.span(of: "carrier")
        switch lookup {
        case .stored:
            let (request, endpoint) = request(.list, query: [("numbers", number), ("page", "1"), ("limit", String(Catalog.defaultPageSize))])
            let items = try await call.send(request, endpoint)["items"]?.listValue ?? []
            let carriers = items.compactMap { t -> String? in
                guard t["tracking_number"].flatMap(text)?.lowercased() == number.lowercased() else { return nil }
                return t["carrier_code"].flatMap(text)
            }
            if carriers.count == 1 { return carriers[0] }
            if carriers.count > 1 {
                throw TMSError(.numberAmbiguous(span, verb: call.name, number: number, carriers: carriers))
            }
            throw TMSError(.numberNotStored(span, verb: call.name, number: number, candidates: try await detected(number, call)), exitCode: ExitCode.apiRefused)
        case .detected:
            let candidates = try await detected(number, call)
            guard candidates.count == 1 else {
                throw TMSError(.carrierNotDetected(span, verb: call.name, number: number, candidates: candidates))
            }
            return candidates[0]
        }
    }

    /// The carrier codes `/carriers/detect` gives for a number, best first; none when it
    /// detects nothing (4032).
    static func detected(_ number: String, _ call: VerbInvocation) async throws -> [String] {
        let (request, endpoint) = request(.detect, body: ["tracking_number": .string(number)])
        do {
            let answer = try await call.send(request, endpoint)
            return (answer.listValue ?? []).compactMap { $0["code"].flatMap(text) }
        } catch let e as TMSError where e.api?.meta.code == MetaCode.carrierNotDetected.rawValue {
            return []
        }
    }
}
