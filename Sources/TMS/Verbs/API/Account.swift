import TrackingMore

extension APIVerbs {
    static let userinfo = Verb(signature(.userinfo, output: "record: email, regtime, phone, money, track_number (quota left)")) { call in
        let (request, endpoint) = request(.userinfo)
        return .value(try await call.send(request, endpoint))
    }

    static let statusnumber = Verb(signature(.statusnumber, output: "record: a count per status")) { call in
        var query: [(String, String)] = []
        for (name, value, span) in call.keywordValues {
            query.append((name, String(try await call.unixTime(value, span))))
        }
        let (request, endpoint) = request(.statusnumber, query: query)
        return .value(try await call.send(request, endpoint))
    }

    static let carriers = Verb(
        signature(
            .carriers, keywords: [.optional("search", .string, help: "only carriers whose code or name contains this")],
            output: "stream of carriers", summary: "every carrier TrackingMore knows, with its code")
    ) { call in
        let (request, endpoint) = request(.carriers)
        let all = try AnswerShape.list(try await call.send(request, endpoint), "data", endpoint, call.span)
        guard let search = call.string("search")?.lowercased() else { return .value(.list(all)) }
        let found = all.filter { c in
            [c["code"], c["name"]].contains { $0?.stringValue?.lowercased().contains(search) == true }
        }
        if found.isEmpty {
            // Nothing is a fine answer for a script; a person is told, with a suggestion.
            let names = all.flatMap { c in [c["code"], c["name"]].compactMap { $0?.stringValue } }
            call.interpreter.warning(.noCarrierMatches(call.span(of: "search"), search, suggestion: Diagnostic.closest(search, names)))
        }
        return .value(.list(found))
    }

    static let detect = Verb(signature(.detect, output: "list of candidate carriers, best first")) { call in
        let (request, endpoint) = request(.detect, body: ["tracking_number": .string(call.string("tracking_number") ?? "")])
        return .value(try await call.send(request, endpoint))
    }

    static let remote = Verb(
        signature(
            .remote, orInput: true, input: "nothing, or records with country, postcode, company", output: "record: submitted, remote, other")
    ) { call in
        var items: [Value] = []
        if let country = call.string("country") {
            guard let postcode = call.string("postcode") else {
                throw TMSError(.missingArgument(call.span, verb: "remote", parameter: "POSTCODE", usage: "remote COUNTRY POSTCODE [company=...]"))
            }
            var r: Record = ["country": .string(country), "postcode": .string(postcode)]
            if let company = call.string("company") { r["company"] = .string(company) }
            items = [.record(r)]
        } else {
            guard call.input != nil else { throw noTarget(call) }
            items = try await call.inputStream().collect()
        }
        return .value(try await bulk(.remote, items, call))
    }

    static let costtime = Verb(
        signature(
            .costtime, output: "record: total, delivered, and the share delivered within 0-7 (range1), 7-15 (range3), 16-30 (range4), 31-60 days (range5)")
    ) { call in
        let item: Value = [
            "carrier_code": .string(call.string("carrier_code") ?? ""), "original": .string(call.string("original") ?? ""),
            "destination": .string(call.string("destination") ?? ""),
        ]
        let (request, endpoint) = request(.costtime, body: [item])
        let data = try await call.send(request, endpoint)
        return .value(data.listValue?.first ?? data)
    }

    static let aircargo = Verb(
        signature(
            .aircargo, output: "a record per air waybill")
    ) { call in
        var body: Record = ["track_number": .list(call.values("track_number"))]
        if let lang = call.string("lang") { body["lang"] = .string(lang) }
        let (request, endpoint) = request(.aircargo, body: .record(body))
        return .value(try await call.send(request, endpoint))
    }
}
