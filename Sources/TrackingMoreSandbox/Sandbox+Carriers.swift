import TrackingMore

extension Sandbox {
    func carriers(_ call: Call) -> Envelope {
        let list: [JSON] = Carriers.all.map { c in
            Catalog.carrierObject.make([
                "name": .string(c.name), "code": .string(c.code), "phone": .string(c.phone), "homepage": .string(c.homepage),
                "type": .string(c.kind.rawValue), "picture": .string("//s.trackingmore.com/images/icons/express/\(c.code).png"),
            ])
        }
        // The real answer's meta has only a code; the usual three fields read the same to clients.
        return Envelope(meta: Meta(code: 200, type: "Success", message: "Success"), data: .list(list))
    }

    func detect(_ call: Call) throws -> Envelope {
        guard let number = try call.string(call.object, "tracking_number"), !number.isEmpty else {
            throw Refusal(.trackingNumberRequired)
        }
        let found = Carriers.detect(number)
        guard !found.isEmpty else { throw Refusal(.carrierNotDetected) }
        return Envelope(.success, .list(found.map { Catalog.detectedCarrier.make(["name": .string($0.name), "code": .string($0.code)]) }))
    }

    /// Deterministically, about one address in five is remote for its carrier.
    func remote(_ call: Call) throws -> Envelope {
        try call.chargeEvery(Choices.remoteCallsPerQuota)
        var remote: [JSON] = []
        var other: [JSON] = []
        for item in call.objects {
            guard let country = try call.string(item, "country"), let postcode = try call.string(item, "postcode"),
                !country.isEmpty, !postcode.isEmpty
            else { throw Refusal(.badRequest, "Each item needs country and postcode.") }
            guard let code = Countries.code(country) else { throw Refusal(.badRequest, "Unknown country '\(country)'.") }
            let company = try call.string(item, "company") ?? "dhl"
            let entry = Catalog.remoteEntry.make([
                "far_express_company": .string(company.lowercased()), "two_code": .string(code),
                "far_country": .string(Countries.name(code)), "far_city_postcode": .string(postcode),
            ])
            if fnv1a(code + postcode + company.lowercased()) % 5 == 0 { remote.append(entry) } else { other.append(entry) }
        }
        return Envelope(
            .success, Catalog.remoteReport.make(["submitted": .int(call.objects.count), "other": .list(other), "remote": .list(remote)]),
            message: Choices.remoteMessage)
    }

    /// Transit-time statistics drawn from the carrier and the two countries.
    func costtime(_ call: Call) throws -> Envelope {
        var results: [JSON] = []
        for item in call.objects {
            guard let carrier = try call.string(item, "carrier_code"), Carriers.carrier(code: carrier) != nil else {
                throw Refusal(.carrierCodeInvalid)
            }
            guard let from = try call.string(item, "original"), let to = try call.string(item, "destination"),
                Countries.names[from.uppercased()] != nil, Countries.names[to.uppercased()] != nil
            else { throw Refusal(.badRequest, "original and destination must be 2-letter country codes.") }
            var rng = SplitMix(seed: fnv1a(carrier + from.uppercased() + to.uppercased()))
            let total = 200 + Int(rng.next() % 5000)
            let delivered = total - Int(rng.next() % UInt64(max(1, total / 10)))
            var shares = (0..<4).map { _ in 1 + Int(rng.next() % 100) }
            if Carriers.carrier(code: carrier)?.kind == .express { shares[0] += 250 }
            let sum = shares.reduce(0, +)
            func percent(_ n: Int) -> String {
                let tenths = n * 1000 / sum
                return "\(tenths / 10).\(tenths % 10)%"
            }
            results.append(Catalog.costTime.make([
                "carrier_code": .string(carrier), "original": .string(from.uppercased()), "destination": .string(to.uppercased()),
                "total": .int(total), "delivered": .int(delivered),
                "range1": .string(percent(shares[0])), "range3": .string(percent(shares[1])),
                "range4": .string(percent(shares[2])), "range5": .string(percent(shares[3])),
            ]))
        }
        return Envelope(.success, .list(results))
    }

    /// Air waybills `XXX-XXXXXXXX` (the airline prefix, then 8 digits whose last is the
    /// check digit: the first seven mod 7).
    func aircargo(_ call: Call) throws -> Envelope {
        // The catalog checked it: a list of up to 40 strings.
        guard case .list(let numbers)? = call.object["track_number"], !numbers.isEmpty else {
            throw Refusal(.badRequest, "track_number must be a list of air waybill numbers.")
        }
        let waybills = try numbers.map { n in
            guard let awb = n.stringValue, let parsed = Sandbox.parseAWB(awb) else {
                throw Refusal(.trackingNumberInvalid, "'\(n.description)' is not an air waybill number like 172-12345675.")
            }
            return (awb, parsed.0, parsed.1)
        }
        try call.charge(Choices.aircargoCostPerAWB * waybills.count)
        var results: [JSON] = []
        for (awb, prefix, serial) in waybills {
            var rng = SplitMix(seed: fnv1a(awb))
            let airports = ["HKG", "PVG", "FRA", "LAX", "ORD", "LHR", "CDG", "DXB", "SIN", "NRT", "AMS", "ICN"]
            let origin = airports[Int(rng.next() % UInt64(airports.count))]
            var destination = airports[Int(rng.next() % UInt64(airports.count))]
            if destination == origin { destination = origin == "FRA" ? "LAX" : "FRA" }
            let airline = Sandbox.airlines[prefix] ?? ("XX", "Cargo airline \(prefix)")
            let departure = call.now - Int(rng.next() % (4 * 86400))
            let flight = airline.0 + String(100 + rng.next() % 900)
            let hours = 8 + Int(rng.next() % 8)
            var steps: [(String, String, Int)] = [("RCS", origin, departure - 6 * 3600), ("DEP", origin, departure), ("ARR", destination, departure + hours * 3600)]
            steps.append(("DLV", destination, departure + (hours + 20) * 3600))
            let info: [JSON] = steps.map { step in
                let happened = step.2 <= call.now
                return Catalog.airEvent.make([
                    "plan_date": .string(UTC.dateTime(step.2)), "actual_date": happened ? .string(UTC.dateTime(step.2 + 600)) : .null,
                    "event": .string(step.0), "station": .string(step.1), "flight_number": .string(flight),
                ])
            }
            let done = steps.filter { $0.2 <= call.now }.count
            results.append(Catalog.airWaybill.make([
                "track_number": .string("\(prefix)-\(serial)"), "airline": .string(airline.1),
                "weight": .string(String(20 + rng.next() % 800)), "piece": .string(String(1 + rng.next() % 12)),
                "origin": .string(origin), "destination": .string(destination), "status_number": .int(done),
                "track_info": .list(info),
            ]))
        }
        return Envelope(.success, .list(results))
    }

    static func parseAWB(_ text: String) -> (String, String)? {
        let digits = text.filter { $0 != "-" && $0 != " " }
        guard digits.count == 11, digits.allSatisfy(\.isNumber) else { return nil }
        let prefix = String(digits.prefix(3))
        let serial = String(digits.dropFirst(3))
        guard let first7 = Int(serial.prefix(7)), let check = Int(serial.suffix(1)), first7 % 7 == check else { return nil }
        return (prefix, serial)
    }

    static let airlines: [String: (String, String)] = [
        "172": ("CV", "Cargolux"), "160": ("CX", "Cathay Pacific Cargo"), "618": ("SQ", "Singapore Airlines Cargo"),
        "020": ("LH", "Lufthansa Cargo"), "176": ("EK", "Emirates SkyCargo"), "057": ("AF", "Air France Cargo"),
        "074": ("KL", "KLM Cargo"), "125": ("BA", "IAG Cargo"), "297": ("CI", "China Airlines Cargo"),
        "001": ("AA", "American Airlines Cargo"), "006": ("DL", "Delta Cargo"), "016": ("UA", "United Cargo"),
        "180": ("KE", "Korean Air Cargo"), "131": ("JL", "JAL Cargo"), "784": ("CZ", "China Southern Cargo"),
        "999": ("CA", "Air China Cargo"), "235": ("TK", "Turkish Cargo"), "157": ("QR", "Qatar Airways Cargo"),
    ]
}
