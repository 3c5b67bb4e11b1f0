/// The package status of a tracking (`status`, `checkpoint_status`).
public enum TrackingStatus: String, Sendable, CaseIterable {
    case pending, notfound, transit, pickup, delivered, undelivered, exception, expired

    public var meaning: String {
        switch self {
        case .pending: return "newly added, not tracked yet"
        case .notfound: return "no tracking information yet"
        case .transit: return "on the way"
        case .pickup: return "out for delivery, or waiting at a pick-up point"
        case .delivered: return "delivered"
        case .undelivered: return "a delivery attempt failed"
        case .exception: return "returned, refused, damaged, held by customs, or another problem"
        case .expired: return "no delivery for a long time: 30 days for express, 60 for postal"
        }
    }

    /// What the status asks of the person reading it, for painting it (the table's `status`
    /// column): nothing more to do, on its way, a problem, or waiting for news.
    public enum Outcome: Sendable, CaseIterable {
        case done, moving, problem, waiting
    }

    public var outcome: Outcome {
        switch self {
        case .delivered: return .done
        case .transit, .pickup: return .moving
        case .exception, .undelivered: return .problem
        case .expired, .notfound, .pending: return .waiting
        }
    }
}

/// The `status` values PUT and updatemore accept, and what each does.
public enum StatusChange: Int, Sendable, CaseIterable {
    case delivered = 4
    case exception = 7
    /// Back to the status the carrier's own data gives.
    case original = 8

    /// 4, 7 or 8, or the words delivered, exception, original.
    public init?(word: String) {
        if let n = Int(word), let c = StatusChange(rawValue: n) {
            self = c
        } else if let c = StatusChange.allCases.first(where: { "\($0)" == word }) {
            self = c
        } else {
            return nil
        }
    }
}

/// A sub-status (`substatus`): the detail of a status.
public enum SubStatus: String, Sendable, CaseIterable {
    case notfound001, notfound002
    case transit001, transit002, transit003, transit004, transit005, transit007
    case pickup001
    case delivered001, delivered002, delivered003, delivered004
    case exception004, exception005, exception006, exception007, exception008, exception009, exception010, exception011
    case undelivered001

    public var status: TrackingStatus {
        let prefix = rawValue.prefix { !$0.isNumber }
        return TrackingStatus(rawValue: String(prefix)) ?? .transit
    }

    public var meaning: String {
        switch self {
        case .notfound001: return "information received; about to be picked up"
        case .notfound002: return "no information"
        case .transit001: return "on the way"
        case .transit002: return "arrived at a hub or sorting center"
        case .transit003: return "arrived at the delivery facility"
        case .transit004: return "arrived in the destination country"
        case .transit005: return "customs cleared"
        case .transit007: return "in transit (seen in real data; meaning unconfirmed)"
        case .pickup001: return "out for delivery"
        case .delivered001: return "delivered"
        case .delivered002: return "picked up by the customer"
        case .delivered003: return "signed for by the customer"
        case .delivered004: return "left at the door or with a neighbour"
        case .exception004: return "unclaimed"
        case .exception005: return "delivery exception"
        case .exception006: return "held by customs"
        case .exception007: return "damaged, lost or discarded"
        case .exception008: return "cancelled before delivery"
        case .exception009: return "refused by the addressee"
        case .exception010: return "returned to the sender"
        case .exception011: return "returning to the sender"
        case .undelivered001: return "a delivery attempt failed (sandbox's code; the API documents none)"
        }
    }
}
