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
    /// Each key starts with this much quota (`tms keys add --quota N` gives another).
    static let initialQuota = 1000
    /// Each create uses one quota (a batch: one per item added), as documented.
    static let createCost = 1
    /// `remote`: every 5 calls use one quota (documented); a call is refused with 4021 when
    /// none is left.
    static let remoteCallsPerQuota = 5
    /// `aircargo`: 20 quota per air waybill (documented); the whole call is refused with
    /// 4021 when the quota does not cover every AWB.
    static let aircargoCostPerAWB = 20
    /// `realtime` needs quota but spends none: it is refused with 4021 when none is left (the
    /// API's own tests accept 4021 here) and, not storing the number, costs nothing.
    static let realtimeNeedsQuota = true
    /// `detect` is free: its page repeats `remote`'s "5 calls = 1 quota" tip, most likely by
    /// copy and paste, and clients call it before every create.
    /// Reads (GET, list, userinfo, statusnumber, carriers) are free and allowed with no quota
    /// left, so a spent account can still see its trackings.
    /// A PUT whose body sets no status answers `status` with the change still in force
    /// ("4" or "7"), or null when the carrier's own status applies; `archived` is always the
    /// string "true" or "false" (the document's example shows only a body that set both).
    /// (Sandbox.putAnswer)
    /// A null field in a PUT or updatemore body leaves the field as it is: the official PHP
    /// class sends null for every field it was not asked to change. "" empties a field.
    static let nullLeavesFieldAlone = true
    /// A batch item's `order_create_time` when none was given: 0, as in the real batch
    /// sample (the single create answers without the field, as its sample does).
    static let unsetOrderCreateTime = 0
    /// `remote` answers with the message of its doc sample.
    static let remoteMessage = "The request was successful."
    /// Realtime answers from the simulation without storing the number.
    static let realtimeStores = false
    /// Express shipments expire after 30 days without delivery, postal ones after 60.
    static let expressExpiryDays = 30
    static let postalExpiryDays = 60
}
