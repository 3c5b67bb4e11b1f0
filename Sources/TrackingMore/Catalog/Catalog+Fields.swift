/// The fields of the records the API returns, each with what it means in plain words: the
/// tracking object, its checkpoints, `origin_info`/`destination_info`, and a carrier of
/// `GET /carriers`. `fields` shows them; support staff learn the data here.
/// Sources: ../shared/reference/trackingmore-v2.md §A (tracking object), §17 (carriers).
extension Catalog {
    /// The names `put` may change: those of `editableFields`, so the two lists cannot disagree.
    private static let editableNames = Set(editableFields.map(\.name))

    /// A field of the tracking object, editable exactly when PUT accepts it.
    private static func trackingField(_ name: String, _ shape: Shape, always: Bool = true, column: Int? = nil, _ meaning: String) -> Shape.Property {
        Shape.Property(name, shape, always: always, editable: editableNames.contains(name), column: column, meaning)
    }

    private static let text = Shape.nullable(.string)

    /// The tracking object, as `get`, `list` and `realtime` return it: its fields in the API's
    /// order. The sandbox writes the fields marked `always` in this order; a table of
    /// trackings shows the fields with a `column`, in that order (`Renderer.trackingColumns`).
    public static let trackingObject = Shape.Object("Tracking", """
        The full tracking object: `GET /trackings/{carrier_code}/{tracking_number}`, the items of         `GET /trackings/get` and of `POST /trackings/realtime`, and `POST /sandbox/trigger`. Fields         the sandbox does not send (service_code and those after it) appear in some live answers.
        """, trackingFields)

    /// Every field of a tracking, in the API's order (`fields tracking` lists them).
    public static let trackingFields: [Shape.Property] = [
        trackingField("id", .text(.id), "TrackingMore's own id for the tracking (32 hex characters); it never changes"),
        trackingField("tracking_number", .string, column: 2, "the carrier's tracking number, as the customer has it"),
        trackingField("carrier_code", .string, column: 1, "TrackingMore's code of the carrier (ups, china-post); carriers lists them, recarrier changes it"),
        trackingField("status", .text(.status), column: 3,
            "where the parcel is, in one word: pending, notfound, transit, pickup, delivered, undelivered, exception or expired (status CODE explains each); put sets 4 delivered, 7 exception, 8 back to the carrier's own"),
        trackingField("substatus", .nullable(.text(.substatus)), "the detail of the status, e.g. transit004: arrived in the destination country (status CODE explains it); empty when the carrier gives none"),
        trackingField("created_at", .text(.isoTime), "when the number was added to the account (ISO 8601, e.g. 2025-06-02T08:00:00+00:00)"),
        trackingField("updated_at", .text(.isoTime), column: 5, "when TrackingMore last refreshed it from the carrier (ISO 8601); empty before the first refresh"),
        trackingField("order_create_time", text, "when the order was placed, as given at create (e.g. 2017/8/27 16:51); may be empty or 0"),
        trackingField("customer_email", text, "the customer's email address; some answers give a list of addresses"),
        trackingField("customer_name", text, "the customer's name"),
        trackingField("customer_phone", text, "the customer's phone number"),
        trackingField("order_id", text, "the shop's order number"),
        trackingField("comment", text, "free text given at create; put cannot change it"),
        trackingField("title", text, column: 4, "the product title"),
        trackingField("logistics_channel", text, "the logistics channel label the shop uses"),
        trackingField("destination_code", text, "the destination country, 2 letters (US)"),
        trackingField("archived", .boolean, "whether it is archived: kept, but left out of list archived=false; put archived=true or false changes it"),
        trackingField("track_update", .boolean, "whether TrackingMore still refreshes it from the carrier (false after notupdate; the vendor does not document it)"),
        trackingField("original_country", .string, "the country the parcel left from, as a name (China)"),
        trackingField("destination_country", .string, "the country the parcel goes to, as a name (United States)"),
        trackingField("itemTimeLength", .nullable(.integer(0...Int.max)), "days in transit: from the first event to delivery, or to now"),
        trackingField("stayTimeLength", .integer(0...Int.max), "days since the last new event: a high number means the parcel seems stuck"),
        trackingField("origin_info", .object(infoObject), "the origin carrier's data: milestone times, website, phone and the checkpoints (fields info)"),
        trackingField("destination_info", .nullable(.object(infoObject)), "the destination carrier's data, in the same shape (often the destination's postal operator, from the border on); empty when there is none"),
        trackingField("lastEvent", text, "the newest checkpoint in one line: what happened, where, and when, joined by commas"),
        trackingField("lastUpdateTime", .nullable(.text(.minutes)), "the time of the newest checkpoint (YYYY-MM-DD HH:MM), the carrier's local time"),
        trackingField("service_code", text, always: false, "rarely filled; the vendor does not document it"),
        trackingField("status_info", text, always: false, "rarely filled; the vendor does not document it"),
        trackingField("packageStatus", text, always: false, "seen in realtime answers, mostly empty; the vendor does not document it"),
        trackingField("last_mile_tracking_supported", .nullable(.boolean), always: false, "seen in realtime answers, mostly empty: whether the last-mile carrier can be tracked (unconfirmed)"),
        trackingField("singed_by", text, always: false, "who signed for the parcel (the API's spelling); in the vendor's field list, not seen in answers"),
        trackingField("destination", text, always: false, "the destination country, 2 letters, in the short form that create and batch answer with (elsewhere destination_code)"),
    ]

    /// The milestones of a leg (`origin_info`, `destination_info`), in the order a parcel
    /// reaches them; a checkpoint that reaches one names it in `ItemNode`.
    public static let milestones: [(name: String, meaning: String)] = [
        ("ItemReceived", "milestone: the first event, the carrier has the parcel (YYYY-MM-DD HH:MM:SS; empty until it happens, like the other milestones)"),
        ("ItemDispatched", "milestone: it left the origin country's office of exchange"),
        ("DepartfromAirport", "milestone: it departed from the airport"),
        ("ArrivalfromAbroad", "milestone: it arrived in the destination country"),
        ("CustomsClearance", "milestone: it was handed to customs"),
        ("DestinationArrived", "milestone: it arrived at the delivery office"),
    ]

    /// A checkpoint: an item of `origin_info.trackinfo` or `destination_info.trackinfo`.
    public static let checkpointObject = Shape.Object("Checkpoint", "One event of a leg, newest first in `trackinfo`.", checkpointFields)

    public static let checkpointFields: [Shape.Property] = [
        .init("Date", .text(.dateTime), "when it happened, in the carrier's local time (YYYY-MM-DD HH:MM or HH:MM:SS)"),
        .init("StatusDescription", .string, "what happened, in the carrier's words"),
        .init("Details", .string, "where it happened (a place); may be empty"),
        .init("checkpoint_status", .text(.status), "the status this event means: pending, notfound, transit, pickup, delivered, undelivered, exception or expired"),
        .init("substatus", .text(.substatus), "the sub-status this event means, e.g. transit001 (status CODE explains it); missing in older data"),
        .init("ItemNode", .oneOf(milestones.map(\.name)), always: false,
              "only on the event that reached a milestone: its name (\(milestones.map(\.name).dropLast().joined(separator: ", ")) or \(milestones.last?.name ?? ""))"),
    ]

    /// `origin_info` and `destination_info`: one leg of the journey.
    public static let infoObject = Shape.Object("CarrierInfo", "One leg of the journey (`origin_info`, `destination_info`).", infoFields)

    public static let infoFields: [Shape.Property] = milestones.map { Shape.Property($0.name, .nullable(.text(.dateTime)), $0.meaning) } + [
        .init("weblink", .string, "the carrier's website"),
        .init("phone", text, "the carrier's phone number"),
        .init("carrier_code", .string, "the carrier of this leg: in destination_info often the destination's postal operator"),
        .init("ReferenceNumber", text, "another number of the parcel on this leg; empty in the answers seen"),
        .init("trackinfo", .list(checkpointObject), "the checkpoints, newest first (fields checkpoint)"),
    ]

    /// A carrier, as `GET /carriers` lists it.
    public static let carrierObject = Shape.Object("Carrier", "A carrier TrackingMore knows.", carrierFields)

    public static let carrierFields: [Shape.Property] = [
        .init("name", .string, "the carrier's name"),
        .init("code", .string, "its TrackingMore code: the CARRIER that create, get and the other verbs take"),
        .init("phone", .string, "its customer service phone number"),
        .init("homepage", .string, "its website, without the scheme (//www.dhl.com/)"),
        .init("type", .oneOf(["express", "globalpost"]), "express (a courier) or globalpost (a national postal operator)"),
        .init("picture", .string, "the address of its logo, without the scheme"),
    ]

    // MARK: The short forms of a tracking

    /// Some fields of the tracking, always sent, with some in another shape.
    static func trackingPart(_ name: String, _ help: String, _ names: [String], shapes: [String: Shape] = [:]) -> Shape.Object {
        Shape.Object(name, help, names.map { n in
            let p = trackingObject[n]
            return Shape.Property(n, shapes[n] ?? p?.shape ?? .string, editable: p?.editable ?? false, p?.help ?? "")
        })
    }

    /// What `POST /trackings/post` answers.
    public static let createdTracking = trackingPart(
        "TrackingShort", "The short form `POST /trackings/post` answers.",
        ["id", "tracking_number", "carrier_code", "status", "created_at", "customer_email", "customer_name", "order_id", "title"])

    /// An item of the batch and updatemore reports.
    public static let batchTracking = trackingPart(
        "BatchTracking", "The short form of an item of the batch and updatemore reports.",
        ["id", "tracking_number", "carrier_code", "status", "created_at", "order_create_time", "customer_email", "customer_name",
         "customer_phone", "order_id", "comment", "title", "logistics_channel", "destination"],
        // The real batch sample answers 0 for an order time that was not given.
        shapes: ["order_create_time": .either([.string, .integer(0...0)])])

    /// What PUT answers, in the order of the API document's example: `archived` as a string
    /// and `status` as the code of the status change.
    public static let putAnswer = trackingPart(
        "PutAnswer", """
        What PUT answers, in this order (the API document's example): the editable fields as they now are,         `archived` as the string "true"/"false" and `status` as the code of the change ("4", "7", "8"; when         the body set none, the change still in force, or null).
        """,
        ["id", "tracking_number", "carrier_code", "created_at", "updated_at", "customer_email", "customer_name", "order_id",
         "title", "destination_code", "customer_phone", "archived", "status", "logistics_channel"],
        shapes: ["archived": .oneOf(["true", "false"]), "status": .nullable(.oneOf(StatusChange.allCases.map { String($0.rawValue) }))])
}
