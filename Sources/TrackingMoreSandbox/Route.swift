import TrackingMore

/// The journey of one simulated parcel, decided once from its carrier and number: the same
/// tracking always takes the same route, and the virtual clock says how far along it is.
struct Route: Sendable {
    enum Leg: Sendable { case origin, destination }

    struct Event: Sendable {
        /// Seconds after the tracking was created.
        var offset: Int
        var description: String
        var location: String
        var status: TrackingStatus
        var substatus: SubStatus
        var leg: Leg
        /// The `origin_info` milestone this event sets (`ItemReceived`, ...).
        var milestone: String?
    }

    /// How the journey ends.
    enum Outcome: Sendable, Equatable {
        case delivered(SubStatus)
        case undelivered
        case exception(SubStatus)
        /// Events stop in transit; the tracking expires after the carrier's limit.
        case stalls
        /// The carrier never has information; expires after the limit.
        case neverFound
    }

    let outcome: Outcome
    let events: [Event]
    let originCountry: String
    let destinationCountry: String
    /// Days without delivery after which the tracking is `expired`.
    let expiryDays: Int

    /// Nothing happens on any route in its first two hours: the first event comes 2 to 10
    /// hours after creation (`hours(2, 10)` below), so until then every route is pending.
    static let quietSeconds = 2 * 3600

    init(carrier: String, number: String, postal: Bool, originCountry: String, destination: String?) {
        var rng = SplitMix(seed: fnv1a(carrier + "|" + number))
        self.originCountry = originCountry
        let dest = destination.flatMap { $0.count == 2 ? $0.uppercased() : nil }
            ?? Route.destinations[Int(rng.next() % UInt64(Route.destinations.count))]
        self.destinationCountry = dest
        self.expiryDays = postal ? Choices.postalExpiryDays : Choices.expressExpiryDays
        let roll = Int(rng.next() % 100)
        let outcome: Outcome
        switch roll {
        case 0..<70: outcome = .delivered([.delivered001, .delivered002, .delivered003, .delivered004][Int(rng.next() % 4)])
        case 70..<78: outcome = .undelivered
        case 78..<90:
            let subs: [SubStatus] = [.exception004, .exception005, .exception006, .exception007, .exception008, .exception009, .exception010, .exception011]
            outcome = .exception(subs[Int(rng.next() % UInt64(subs.count))])
        case 90..<96: outcome = .stalls
        default: outcome = .neverFound
        }
        self.outcome = outcome

        let from = Route.cities[originCountry] ?? [originCountry + " HUB"]
        let to = Route.cities[dest] ?? [dest + " HUB"]
        func pick(_ list: [String]) -> String { list[Int(rng.next() % UInt64(list.count))] }
        func hours(_ lo: Int, _ hi: Int) -> Int { (lo + Int(rng.next() % UInt64(hi - lo + 1))) * 3600 + Int(rng.next() % 60) * 60 }

        var events: [Event] = []
        var t = hours(2, 10)
        events.append(Event(offset: t, description: "Shipment information received", location: pick(from), status: .notfound, substatus: .notfound001, leg: .origin, milestone: nil))
        guard outcome != .neverFound else {
            self.events = []
            return
        }
        t += hours(4, 24)
        events.append(Event(offset: t, description: "Picked up by the carrier", location: pick(from), status: .transit, substatus: .transit001, leg: .origin, milestone: "ItemReceived"))
        t += hours(6, 30)
        events.append(Event(offset: t, description: "Arrived at the sorting center", location: pick(from), status: .transit, substatus: .transit002, leg: .origin, milestone: nil))
        let international = dest != originCountry
        if international {
            t += hours(6, 36)
            events.append(Event(offset: t, description: "Departed from the country of origin", location: pick(from), status: .transit, substatus: .transit001, leg: .origin, milestone: "ItemDispatched"))
            t += hours(12, 48)
            events.append(Event(offset: t, description: "Departed from the airport", location: pick(from), status: .transit, substatus: .transit001, leg: .origin, milestone: "DepartfromAirport"))
            if outcome == .stalls {
                self.events = events
                return
            }
            t += hours(24, 96)
            events.append(Event(offset: t, description: "Arrived in the destination country", location: pick(to), status: .transit, substatus: .transit004, leg: .destination, milestone: "ArrivalfromAbroad"))
            t += hours(6, 72)
            if case .exception(.exception006) = outcome {
                events.append(Event(offset: t, description: "Held by customs", location: pick(to), status: .exception, substatus: .exception006, leg: .destination, milestone: "CustomsClearance"))
                self.events = events
                return
            }
            events.append(Event(offset: t, description: "Customs cleared", location: pick(to), status: .transit, substatus: .transit005, leg: .destination, milestone: "CustomsClearance"))
        } else if outcome == .stalls {
            self.events = events
            return
        }
        let leg: Leg = international ? .destination : .origin
        t += hours(6, 48)
        events.append(Event(offset: t, description: "Arrived at the delivery facility", location: pick(to), status: .transit, substatus: .transit003, leg: leg, milestone: "DestinationArrived"))
        t += hours(4, 20)
        events.append(Event(offset: t, description: "Out for delivery", location: pick(to), status: .pickup, substatus: .pickup001, leg: leg, milestone: nil))
        t += hours(2, 10)
        switch outcome {
        case .delivered(let sub):
            let text = [SubStatus.delivered002: "Picked up by the customer", .delivered003: "Delivered, signed for by the customer", .delivered004: "Delivered, left at the door"][sub] ?? "Delivered"
            events.append(Event(offset: t, description: text, location: pick(to), status: .delivered, substatus: sub, leg: leg, milestone: nil))
        case .undelivered:
            events.append(Event(offset: t, description: "Delivery attempted: addressee not available", location: pick(to), status: .undelivered, substatus: .undelivered001, leg: leg, milestone: nil))
        case .exception(let sub):
            events.append(Event(offset: t, description: sub.meaning.prefix(1).uppercased() + sub.meaning.dropFirst(), location: pick(to), status: .exception, substatus: sub, leg: leg, milestone: nil))
        case .stalls, .neverFound:
            break
        }
        self.events = events
    }

    /// The events that have happened `elapsed` seconds after creation, oldest first.
    func events(after elapsed: Int) -> ArraySlice<Event> {
        events.prefix { $0.offset <= elapsed }
    }

    /// The status and sub-status `elapsed` seconds after creation.
    func status(after elapsed: Int) -> (TrackingStatus, SubStatus?) {
        let happened = events(after: elapsed)
        let expired = elapsed > expiryDays * 86400
        guard let last = happened.last else {
            if outcome == .neverFound, elapsed >= 2 * 3600 {
                return expired ? (.expired, nil) : (.notfound, .notfound002)
            }
            return (.pending, nil)
        }
        if expired, ![.delivered, .exception, .undelivered].contains(last.status) { return (.expired, nil) }
        return (last.status, last.substatus)
    }

    static let destinations = ["US", "GB", "DE", "FR", "CA", "AU", "JP", "ES", "IT", "NL", "BR", "SE"]

    static let cities: [String: [String]] = [
        "CN": ["SHENZHEN", "GUANGZHOU", "SHANGHAI", "YIWU", "BEIJING", "HANGZHOU"],
        "US": ["LOS ANGELES, CA", "NEW YORK, NY", "CHICAGO, IL", "MEMPHIS, TN", "DALLAS, TX", "SEATTLE, WA"],
        "GB": ["LONDON", "MANCHESTER", "BIRMINGHAM", "HEATHROW"],
        "DE": ["FRANKFURT", "LEIPZIG", "BERLIN", "HAMBURG"],
        "FR": ["PARIS", "ROISSY", "LYON", "MARSEILLE"],
        "CA": ["TORONTO, ON", "VANCOUVER, BC", "MONTREAL, QC"],
        "AU": ["SYDNEY", "MELBOURNE", "BRISBANE"],
        "JP": ["TOKYO", "OSAKA", "NARITA"],
        "ES": ["MADRID", "BARCELONA"],
        "IT": ["MILANO", "ROMA"],
        "NL": ["AMSTERDAM", "UTRECHT"],
        "BR": ["SAO PAULO", "CURITIBA"],
        "SE": ["STOCKHOLM", "MALMO"],
        "HK": ["HONG KONG"],
        "SG": ["SINGAPORE"],
        "KR": ["SEOUL", "INCHEON"],
    ]
}

/// FNV-1a, 64 bits: a stable hash (Swift's `Hasher` is seeded per process).
func fnv1a(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 {
        h ^= UInt64(b)
        h = h &* 0x100_0000_01b3
    }
    return h
}

/// A small deterministic random number generator.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
