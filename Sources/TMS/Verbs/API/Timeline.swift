import TrackingMore

extension APIVerbs {
    /// `timeline CARRIER NUMBER` or `get ... | timeline`: a parcel's story, oldest first, the
    /// origin carrier's and the destination carrier's checkpoints merged.
    static let timeline = Verb(
        {
            var s = Signature(
                "timeline", category: .api, positional: APIVerbs.identityParameters(.orInput),
                input: "nothing, or trackings", output: "list of checkpoints: time, status, meaning, event, place, leg",
                summary: "every checkpoint of a tracking in time order, origin and destination merged, with what each status means",
                examples: [
                    ("timeline sto 402934299065", "reads the tracking, then tells its story"),
                    ("timeline 402934299065", "the number alone: the account's tracking with that number"),
                    ("get sto 402934299065 | timeline", "the story of a tracking already read"),
                ])
            s.endpoints = [Catalog.endpoint(.get).title]
            return s
        }()
    ) { call in
        var trackings: [Value] = []
        if let (carrier, number) = try await target(call) {
            let (request, endpoint) = request(.get, path: ["carrier_code": carrier, "tracking_number": number])
            let tracking = try await call.send(request, endpoint)
            try call.remember(tracking)
            trackings = [tracking]
        } else {
            guard call.input != nil else { throw noTarget(call) }
            trackings = try await call.inputStream().collect()
        }
        var rows: [Value] = []
        for t in trackings {
            _ = try identify(t, call)
            rows += checkpoints(t, named: trackings.count > 1)
        }
        return .value(.list(rows))
    }

    /// The checkpoints of one tracking, oldest first; an event both legs report is kept once.
    static func checkpoints(_ tracking: Value, named: Bool) -> [Value] {
        var events: [(time: String, leg: String, checkpoint: Value)] = []
        for leg in ["origin", "destination"] {
            for c in tracking[leg + "_info"]?["trackinfo"]?.listValue ?? [] {
                events.append((sortable(c["Date"]?.stringValue ?? ""), leg, c))
            }
        }
        var seen: Set<String> = []
        let ordered = events.enumerated().sorted { a, b in
            // Same minute: the API lists newest first within a leg, so later index is older.
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset > b.offset
        }
        return ordered.compactMap { _, e in
            let c = e.checkpoint
            let description = c["StatusDescription"]?.stringValue ?? ""
            let place = c["Details"]?.stringValue ?? ""
            guard seen.insert(e.time + "|" + description + "|" + place).inserted else { return nil }
            let status = c["checkpoint_status"]?.stringValue ?? ""
            let meaning = (c["substatus"]?.stringValue).flatMap(SubStatus.init(rawValue:))?.meaning
                ?? TrackingStatus(rawValue: status)?.meaning ?? ""
            var row = Record()
            if named { row["tracking_number"] = tracking["tracking_number"] ?? .null }
            row["time"] = c["Date"] ?? .null
            row["status"] = .string(status)
            row["meaning"] = .string(meaning)
            row["event"] = .string(description)
            row["place"] = .string(place)
            row["leg"] = .string(e.leg)
            return .record(row)
        }
    }

    /// `2025-06-04 20:40` and `2025-06-04 20:40:00` sort together.
    static func sortable(_ date: String) -> String {
        date.count == 16 ? date + ":00" : date
    }
}
