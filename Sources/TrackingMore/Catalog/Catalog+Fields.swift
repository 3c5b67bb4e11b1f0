/// The fields of the records the API returns, each with what it means in plain words: the
/// tracking object, its checkpoints, `origin_info`/`destination_info`, and a carrier of
/// `GET /carriers`. `fields` shows them; support staff learn the data here.
/// Sources: ../shared/reference/trackingmore-v2.md §A (tracking object), §17 (carriers).
extension Catalog {
    /// The names `put` may change: those of `editableFields`, so the two lists cannot disagree.
    private static let editableNames = Set(editableFields.map(\.name))

    /// A field of the tracking object, editable exactly when PUT accepts it.
    private static func tracking(_ name: String, _ kind: Field.Kind, _ meaning: String) -> Field {
        Field(name, kind, editable: editableNames.contains(name), meaning)
    }

    /// Every field of a tracking, as `get`, `list` and `realtime` return it, in the API's order.
    public static let trackingFields: [Field] = [
        tracking("id", .string, "TrackingMore's own id for the tracking (32 hex characters); it never changes"),
        tracking("tracking_number", .string, "the carrier's tracking number, as the customer has it"),
        tracking("carrier_code", .string, "TrackingMore's code of the carrier (ups, china-post); carriers lists them, recarrier changes it"),
        tracking("status", .string,
            "where the parcel is, in one word: pending, notfound, transit, pickup, delivered, undelivered, exception or expired (status CODE explains each); put sets 4 delivered, 7 exception, 8 back to the carrier's own"),
        tracking("substatus", .string, "the detail of the status, e.g. transit004: arrived in the destination country (status CODE explains it); empty when the carrier gives none"),
        tracking("created_at", .string, "when the number was added to the account (ISO 8601, e.g. 2025-06-02T08:00:00+00:00)"),
        tracking("updated_at", .string, "when TrackingMore last refreshed it from the carrier (ISO 8601); empty before the first refresh"),
        tracking("order_create_time", .string, "when the order was placed, as given at create (e.g. 2017/8/27 16:51); may be empty or 0"),
        tracking("customer_email", .string, "the customer's email address; some answers give a list of addresses"),
        tracking("customer_name", .string, "the customer's name"),
        tracking("customer_phone", .string, "the customer's phone number"),
        tracking("order_id", .string, "the shop's order number"),
        tracking("comment", .string, "free text given at create; put cannot change it"),
        tracking("title", .string, "the product title"),
        tracking("logistics_channel", .string, "the logistics channel label the shop uses"),
        tracking("destination_code", .string, "the destination country, 2 letters (US)"),
        tracking("archived", .bool, "whether it is archived: kept, but left out of list archived=false; put archived=true or false changes it"),
        tracking("track_update", .bool, "whether TrackingMore still refreshes it from the carrier (false after notupdate; the vendor does not document it)"),
        tracking("original_country", .string, "the country the parcel left from, as a name (China)"),
        tracking("destination_country", .string, "the country the parcel goes to, as a name (United States)"),
        tracking("itemTimeLength", .int, "days in transit: from the first event to delivery, or to now"),
        tracking("stayTimeLength", .int, "days since the last new event: a high number means the parcel seems stuck"),
        tracking("origin_info", .record, "the origin carrier's data: milestone times, website, phone and the checkpoints (fields info)"),
        tracking("destination_info", .record, "the destination carrier's data, in the same shape (often the destination's postal operator, from the border on); empty when there is none"),
        tracking("lastEvent", .string, "the newest checkpoint in one line: what happened, where, and when, joined by commas"),
        tracking("lastUpdateTime", .string, "the time of the newest checkpoint (YYYY-MM-DD HH:MM), the carrier's local time"),
        tracking("service_code", .string, "rarely filled; the vendor does not document it"),
        tracking("status_info", .string, "rarely filled; the vendor does not document it"),
        tracking("packageStatus", .string, "seen in realtime answers, mostly empty; the vendor does not document it"),
        tracking("last_mile_tracking_supported", .bool, "seen in realtime answers, mostly empty: whether the last-mile carrier can be tracked (unconfirmed)"),
        tracking("singed_by", .string, "who signed for the parcel (the API's spelling); in the vendor's field list, not seen in answers"),
        tracking("destination", .string, "the destination country, 2 letters, in the short form that create and batch answer with (elsewhere destination_code)"),
    ]

    /// The fields of a checkpoint: an item of `origin_info.trackinfo` or `destination_info.trackinfo`.
    public static let checkpointFields: [Field] = [
        Field("Date", .string, "when it happened, in the carrier's local time (YYYY-MM-DD HH:MM or HH:MM:SS)"),
        Field("StatusDescription", .string, "what happened, in the carrier's words"),
        Field("Details", .string, "where it happened (a place); may be empty"),
        Field("checkpoint_status", .string, "the status this event means: pending, notfound, transit, pickup, delivered, undelivered, exception or expired"),
        Field("substatus", .string, "the sub-status this event means, e.g. transit001 (status CODE explains it); missing in older data"),
        Field("ItemNode", .string, "only on the event that reached a milestone: its name (ItemReceived, ItemDispatched, DepartfromAirport, ArrivalfromAbroad, CustomsClearance or DestinationArrived)"),
    ]

    /// The fields of `origin_info` and `destination_info`.
    public static let infoFields: [Field] = [
        Field("ItemReceived", .string, "milestone: the first event, the carrier has the parcel (YYYY-MM-DD HH:MM:SS; empty until it happens, like the other milestones)"),
        Field("ItemDispatched", .string, "milestone: it left the origin country's office of exchange"),
        Field("DepartfromAirport", .string, "milestone: it departed from the airport"),
        Field("ArrivalfromAbroad", .string, "milestone: it arrived in the destination country"),
        Field("CustomsClearance", .string, "milestone: it was handed to customs"),
        Field("DestinationArrived", .string, "milestone: it arrived at the delivery office"),
        Field("weblink", .string, "the carrier's website"),
        Field("phone", .string, "the carrier's phone number"),
        Field("carrier_code", .string, "the carrier of this leg: in destination_info often the destination's postal operator"),
        Field("ReferenceNumber", .string, "another number of the parcel on this leg; empty in the answers seen"),
        Field("trackinfo", .records, "the checkpoints, newest first (fields checkpoint)"),
    ]

    /// The fields of a carrier, as `GET /carriers` lists them.
    public static let carrierFields: [Field] = [
        Field("name", .string, "the carrier's name"),
        Field("code", .string, "its TrackingMore code: the CARRIER that create, get and the other verbs take"),
        Field("phone", .string, "its customer service phone number"),
        Field("homepage", .string, "its website, without the scheme (//www.dhl.com/)"),
        Field("type", .string, "express (a courier) or globalpost (a national postal operator)"),
        Field("picture", .string, "the address of its logo, without the scheme"),
    ]
}
