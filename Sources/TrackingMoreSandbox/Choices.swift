import TrackingMore

/// Where the reference marks the API's behaviour "unconfirmed", the sandbox chooses here, in
/// one place; docs/sandbox.md gives the reasons.
enum Choices {
    /// Every key's clock starts here (2025-06-02 08:00 UTC) and moves only with `sandbox advance`.
    static let epoch = UTC.days(2025, 6, 2) * 86400 + 8 * 3600
    /// A single create answers 200 "Success"; batch answers 201 "Created" (a real sample).
    static let createCode = MetaCode.success
    static let batchCode = MetaCode.created
    /// GET, PUT and DELETE of a number never created answer 4017 "Tracking does not exist".
    static let missingTrackingCode = MetaCode.trackingDoesNotExist
    /// More than 40 items in one bulk call: 4020, nothing is processed.
    static let overBatchLimitCode = MetaCode.tooManyAtOnce
    /// A body that is not JSON, or not the JSON type expected: 4012 (the help page also
    /// mentions 4015 for non-JSON bodies; 4012 "not understood" is the plainer meaning).
    static let malformedBodyCode = MetaCode.badRequest
    /// An empty list answers 200 with `items: []` and `total: "0"` (not 4031).
    /// `total` is a string, as in the real sample.
    static let totalIsString = true
    /// Each key starts with this much quota; each create uses one.
    static let initialQuota = 1000
    /// Realtime answers from the simulation without storing the number.
    static let realtimeStores = false
    /// Express shipments expire after 30 days without delivery, postal ones after 60.
    static let expressExpiryDays = 30
    static let postalExpiryDays = 60
}
