import TrackingMore

/// One attempt to deliver a webhook, as `sandbox webhook deliveries`, `explain` and `trace`
/// show it. The account's email, which keys the signature, is never part of it.
public struct WebhookDelivery: Sendable {
    public enum Outcome: String, Sendable {
        /// The receiver answered 2xx.
        case delivered
        /// It did not; another attempt is scheduled.
        case retrying
        /// The last attempt of the schedule failed too: the event is dropped.
        case failed
    }

    /// The attempt's number in this sandbox, counting from 1.
    public var id: Int
    /// The event's number: every attempt of one event shares it.
    public var event: Int
    /// The hash of the account's key (never shown).
    var account: String
    public var url: String
    public var carrierCode: String
    public var trackingNumber: String
    public var status: String
    public var attempt: Int
    public var timeStr: String
    public var signature: String
    /// The body as sent.
    public var body: String
    /// The receiver's HTTP status; nil when it could not be reached.
    public var answerStatus: Int?
    /// The start of the receiver's answer body.
    public var answer: String
    /// Why no answer came (refused, timed out).
    public var error: String?
    public var outcome: Outcome
    /// Seconds until the next attempt, when one is scheduled.
    public var nextAttemptIn: Double?
    public var milliseconds: Int

    /// As `sandbox webhook deliveries` answers it: the catalog's `WebhookDelivery` object.
    public var json: JSON {
        Catalog.webhookDelivery.make([
            "id": .int(id), "event": .int(event), "url": .string(url), "tracking_number": .string(trackingNumber),
            "carrier_code": .string(carrierCode), "status": .string(status), "attempt": .int(attempt),
            "outcome": .string(outcome.rawValue), "answer_status": answerStatus.map { .int($0) } ?? .null,
            "answer": .string(answer), "error": error.map { .string($0) } ?? .null,
            "next_attempt_in": nextAttemptIn.map { .double($0) } ?? .null, "ms": .int(milliseconds),
            "time_str": .string(timeStr), "signature": .string(signature), "body": .string(body),
        ])
    }

    /// One line for a log: `webhook #3 POST URL (tracking, status) attempt 1 -> 200 delivered (4 ms)`.
    public var line: String {
        let answerText = answerStatus.map(String.init) ?? (error ?? "no answer")
        var s = "webhook #\(event) POST \(url) (\(carrierCode) \(trackingNumber) \(status)) attempt \(attempt) -> \(answerText) \(outcome.rawValue) (\(milliseconds) ms)"
        if let next = nextAttemptIn { s += ", next attempt in \(formatSeconds(next))" }
        return s
    }
}

/// `30 s`, `0.05 s`, `2 h 8 min`.
func formatSeconds(_ seconds: Double) -> String {
    if seconds < 120 {
        let rounded = (seconds * 100).rounded() / 100
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }
    let whole = Int(seconds)
    if whole < 7200 { return "\(whole / 60) min" }
    return "\(whole / 3600) h \(whole % 3600 / 60) min"
}
