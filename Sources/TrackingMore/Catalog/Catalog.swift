/// The TrackingMore v2 API as data: every endpoint, the fields of a tracking, the limits.
/// Sources for each fact are in ../shared/reference/trackingmore-v2.md.
public enum Catalog {
    /// `https://api.trackingmore.com/v2`
    public static let liveBaseURL = "https://api.trackingmore.com/v2"
    /// The header that carries the key.
    public static let keyHeader = "Trackingmore-Api-Key"
    /// Items per call of `/trackings/batch` (and, by the same rule, the other bulk endpoints).
    public static let batchLimit = 40
    /// Items per page of `/trackings/get`.
    public static let pageLimit = 2000
    public static let defaultPageSize = 100
    /// Values in the `numbers` and `orders` filters.
    public static let filterValuesLimit = 40
    /// The most characters of a text field (the sandbox's choice: the API publishes none).
    public static let textLimit = 255
    /// The most characters of a tracking number (the sandbox's choice: the longest numbers
    /// carriers issue have about 40; the API publishes no limit).
    public static let numberLimit = 64
    /// The most characters of a carrier code (the longest known code has 33).
    public static let carrierCodeLimit = 50

    // MARK: Fields shared by several endpoints

    /// The language of a read: `GET /trackings/{carrier_code}/{tracking_number}/{lang}`.
    public static let language = Field(
        "lang", .string, pattern: .language, "carrier texts in this language (2 letters), where the carrier has them")
    public static let number = Field(
        "tracking_number", .string, required: true, maxLength: numberLimit, pattern: .trackingNumber, role: .identity,
        missingCode: .trackingNumberRequired, invalidCode: .trackingNumberInvalid, "the tracking number")
    public static let carrier = Field(
        "carrier_code", .string, required: true, maxLength: carrierCodeLimit, role: .identity,
        missingCode: .carrierCodeInvalid, invalidCode: .carrierCodeInvalid, "the TrackingMore carrier code, e.g. ups or china-post")

    /// The fields `create` accepts (POST /trackings/post and each item of /trackings/batch).
    public static let createFields: [Field] = [
        number, carrier,
        Field("destination_code", .string, "destination country, 2 letters (US)"),
        Field("title", .string, "product title"),
        Field("logistics_channel", .string, "logistics channel label"),
        Field("customer_name", .string, "customer name"),
        Field("customer_email", .string, "customer email"),
        Field("customer_phone", .string, "customer phone"),
        Field("order_id", .string, "order number"),
        Field("order_create_time", .string, "order time, e.g. 2017/8/27 16:51"),
        Field("tracking_ship_date", .string, "ship date YYYYMMDD, needed by some carriers"),
        Field("tracking_postal_code", .string, "receiver postal code, needed by some carriers"),
        Field("tracking_account_number", .string, "account number, needed by some carriers"),
        Field("tracking_destination_country", .string, "destination country some carriers need"),
        Field("specialNumberDestination", .string, "destination country some carriers need (the official PHP library's name)"),
        Field("lang", .string, "language of carrier texts, 2 letters"),
        Field("auto_correct", .int, "1 stops the carrier being corrected from the number"),
        Field("comment", .string, maxLength: 1000, "free text"),
    ]

    /// The fields PUT may change.
    public static let editableFields: [Field] = [
        Field("title", .string, editable: true, "product title"),
        Field("logistics_channel", .string, editable: true, "logistics channel label"),
        Field("customer_name", .string, editable: true, "customer name"),
        Field("customer_email", .string, editable: true, "customer email"),
        Field("customer_phone", .string, editable: true, "customer phone"),
        Field("order_id", .string, editable: true, "order number"),
        Field("destination_code", .string, editable: true, "destination country, 2 letters"),
        Field("archived", .boolString, editable: true, "archive flag: \"true\" or \"false\""),
        Field("status", .statusChange, editable: true, "4 sets delivered, 7 sets exception, 8 restores the carrier's own status"),
    ]

    static let timeRange: [Field] = [
        Field("created_at_min", .time, "created at or after (unix seconds)"),
        Field("created_at_max", .time, "created at or before (unix seconds; default now)"),
    ]

    static let orderTimeRange: [Field] = [
        Field("order_created_time_min", .time, "order time at or after (unix seconds)"),
        Field("order_created_time_max", .time, "order time at or before (unix seconds; default now)"),
    ]

    /// The page and filters of `GET /trackings/get` (and of the body of its POST form).
    static let listParameters: [Field] = [
        Field("page", .int, range: 1...Int.max, "page number, from 1"),
        Field("limit", .int, range: 1...pageLimit, "items per page, up to 2000 (default 100)"),
        Field("status", .status, "one status: pending notfound transit pickup delivered undelivered exception expired"),
    ] + timeRange + [
        Field("update_time_min", .time, "updated at or after (unix seconds)"),
        Field("update_time_max", .time, "updated at or before (unix seconds; default now)"),
    ] + orderTimeRange + [
        Field("lang", .string, "language of carrier texts"),
        Field("numbers", .commaList, count: filterValuesLimit, "tracking numbers, comma-separated, up to 40"),
        Field("orders", .commaList, count: filterValuesLimit, "order ids, comma-separated, up to 40"),
        Field("archived", .boolString, "\"true\": archived only; \"false\": not archived"),
    ]

    // MARK: Endpoints

    public static let endpoints: [Endpoint] = [
        Endpoint(
            id: .create, method: .post, path: "/trackings/post", pathParameters: [], query: [],
            body: .object(createFields), writes: true, rateClass: .general, verb: "create", aliases: ["post"],
            summary: "create one tracking", example: "create china-post RR123456785CN order_id=A-1001",
            requestExample: .init(body: .record(examplePost.merging([
                ("destination_code", "US"), ("title", "Running shoes"), ("customer_name", "Ann Lee"),
                ("customer_email", "ann@example.org"), ("order_id", "A-1001"), ("order_create_time", "2025/5/30 16:51"), ("lang", "en"),
            ])))),
        Endpoint(
            id: .get, method: .get, path: "/trackings/{carrier_code}/{tracking_number}", pathParameters: [carrier, number],
            query: [], body: .none, writes: false, rateClass: .general, verb: "get", aliases: [],
            summary: "read one tracking with its checkpoints", example: "get sto 402934299065",
            requestExample: .init(examplePost.merging([("lang", "en")]), after: [.create])),
        Endpoint(
            id: .put, method: .put, path: "/trackings/{carrier_code}/{tracking_number}", pathParameters: [carrier, number],
            query: [], body: .object(editableFields), writes: true, rateClass: .general, verb: "put", aliases: [],
            summary: "change a tracking's editable fields", example: "get sto 402934299065 | set status=7 | put",
            closedBody: true,
            requestExample: .init(examplePost, body: ["customer_name": "Ann Lee-Park", "order_id": "A-1001-R", "status": 7], after: [.create])),
        Endpoint(
            id: .delete, method: .delete, path: "/trackings/{carrier_code}/{tracking_number}", pathParameters: [carrier, number],
            query: [], body: .none, writes: true, rateClass: .general, verb: "delete", aliases: [],
            summary: "delete one tracking", example: "delete sto 402934299065",
            requestExample: .init(examplePost, after: [.create])),
        Endpoint(
            id: .batch, method: .post, path: "/trackings/batch", pathParameters: [], query: [],
            body: .array(createFields, limit: batchLimit), writes: true, rateClass: .general, verb: "batch", aliases: [],
            summary: "create up to 40 trackings in one call", example: "open orders.csv | batch",
            report: .init(doneKey: "added", items: .errorsApart),
            requestExample: .init(body: [
                .record(examplePost.merging([("order_id", "A-1001"), ("destination_code", "US")])),
                .record(exampleUPS.merging([("order_id", "A-1002"), ("destination_code", "DE"), ("title", "Desk lamp")])),
            ])),
        Endpoint(
            id: .list, method: .get, path: "/trackings/get", pathParameters: [], query: listParameters,
            body: .none, writes: false, rateClass: .general, verb: "list", aliases: [],
            summary: "list trackings, page by page, with filters", example: "list status=exception created_at_min=7d | first 5",
            requestExample: .init(["page": 1, "limit": 100, "status": "exception", "created_at_min": 1_748_246_400, "archived": "false"])),
        // The later official PHP library sends every "GET with parameters" as a POST with
        // the parameters in a JSON body; the sandbox answers it as the GET (docs/sandbox.md).
        Endpoint(
            id: .listByBody, method: .post, path: "/trackings/get", pathParameters: [], query: [],
            body: .object(listParameters), writes: false, rateClass: .general, verb: "list", aliases: [],
            summary: "list trackings with the parameters in a JSON body (as the later PHP library sends them)",
            example: "list status=exception",
            requestExample: .init(body: ["page": 1, "limit": 100, "status": "exception", "created_at_min": 1_748_246_400, "numbers": ["RR123456785CN", "1Z999AA10123456784"]])),
        Endpoint(
            id: .updatemore, method: .post, path: "/trackings/updatemore", pathParameters: [], query: [],
            body: .array([number, carrier] + editableFields.filter { $0.name != "customer_phone" }, limit: batchLimit),
            writes: true, rateClass: .general, verb: "updatemore", aliases: [],
            summary: "change many trackings in one call", example: "list status=transit | set archived=true | updatemore",
            report: .init(doneKey: "updated", items: .errorsApart), closedBody: true,
            requestExample: .init(body: [.record(examplePost.merging([("archived", "true")])), .record(exampleUPS.merging([("archived", "true"), ("status", 4)]))], after: [.batch])),
        Endpoint(
            id: .deleteMany, method: .post, path: "/trackings/delete", pathParameters: [], query: [],
            body: .array([number, carrier], limit: batchLimit), writes: true, rateClass: .general, verb: "delete", aliases: [],
            summary: "delete many trackings in one call", example: "list status=expired | delete",
            report: .init(doneKey: "delete", items: .metaEach),
            requestExample: .init(body: [.record(examplePost), .record(exampleUPS)], after: [.batch])),
        Endpoint(
            id: .realtime, method: .post, path: "/trackings/realtime", pathParameters: [], query: [],
            body: .object([
                number, carrier,
                Field("destination_code", .string, "destination country, 2 letters"),
                Field("tracking_ship_date", .string, "ship date YYYYMMDD"),
                Field("tracking_postal_code", .string, "receiver postal code"),
                Field("tracking_account_number", .string, "account number"),
                Field("specialNumberDestination", .string, "destination country some carriers need"),
                Field("order", .string, "order id"),
                Field("order_create_time", .string, "order time"),
                Field("lang", .string, "language of carrier texts"),
            ]),
            writes: false, rateClass: .realtime, verb: "realtime", aliases: [],
            summary: "ask the carrier now, without waiting for the next refresh", example: "realtime ups 1Z999AA10123456784",
            requestExample: .init(body: .record(exampleUPS.merging([("destination_code", "US"), ("lang", "en")])))),
        Endpoint(
            id: .updateCarrier, method: .post, path: "/trackings/update", pathParameters: [], query: [],
            body: .object([number, carrier, Field("update_carrier_code", .string, required: true, maxLength: carrierCodeLimit, missingCode: .carrierCodeInvalid, invalidCode: .carrierCodeInvalid, "the new carrier code")]),
            writes: true, rateClass: .general, verb: "recarrier", aliases: ["update"],
            summary: "move a tracking to another carrier", example: "get china-ems LK123456785CN | recarrier china-post",
            safeToRetry: false,
            requestExample: .init(body: .record(examplePost.merging([("update_carrier_code", "china-ems")])), after: [.create])),
        Endpoint(
            id: .userinfo, method: .get, path: "/trackings/getuserinfo", pathParameters: [], query: [], body: .none,
            writes: false, rateClass: .general, verb: "userinfo", aliases: ["getuserinfo"],
            summary: "the account and its remaining quota", example: "userinfo"),
        Endpoint(
            id: .statusnumber, method: .get, path: "/trackings/getstatusnumber", pathParameters: [],
            query: timeRange + orderTimeRange, body: .none, writes: false, rateClass: .general,
            verb: "statusnumber", aliases: ["getstatusnumber"],
            summary: "how many trackings are in each status", example: "statusnumber created_at_min=30d",
            requestExample: .init(["created_at_min": 1_746_259_200, "created_at_max": 1_748_851_200])),
        Endpoint(
            id: .notupdate, method: .post, path: "/trackings/notupdate", pathParameters: [], query: [],
            body: .array([number, carrier], limit: batchLimit), writes: true, rateClass: .general, verb: "notupdate", aliases: [],
            summary: "stop refreshing some trackings", example: "list status=expired | notupdate",
            report: .init(doneKey: "change", items: .codeEach),
            requestExample: .init(body: [.record(examplePost), .record(exampleUPS)], after: [.batch])),
        Endpoint(
            id: .remote, method: .post, path: "/trackings/remote", pathParameters: [], query: [],
            body: .array([
                Field("country", .string, required: true, role: .positional, "country name or 2-letter code"),
                Field("postcode", .string, required: true, role: .positional, "postal code, or city where the country has none"),
                Field("company", .string, "carrier name, e.g. DHL"),
            ], limit: batchLimit),
            writes: false, rateClass: .general, verb: "remote", aliases: [],
            summary: "which addresses a carrier treats as remote", example: "remote JP 7600000",
            requestExample: .init(body: [["country": "JP", "postcode": "7600000"], ["country": "US", "postcode": "99501", "company": "DHL"]])),
        Endpoint(
            id: .costtime, method: .post, path: "/trackings/costtime", pathParameters: [], query: [],
            body: .array([
                carrier.with(role: .positional),
                Field("original", .string, required: true, role: .positional, "origin country, 2 letters"),
                Field("destination", .string, required: true, role: .positional, "destination country, 2 letters"),
            ], limit: batchLimit),
            writes: false, rateClass: .general, verb: "costtime", aliases: [],
            summary: "how long a carrier takes between two countries", example: "costtime dhl CN DE",
            requestExample: .init(body: [["carrier_code": "dhl", "original": "CN", "destination": "DE"], ["carrier_code": "ups", "original": "US", "destination": "GB"]])),
        Endpoint(
            id: .aircargo, method: .post, path: "/trackings/aircargo", pathParameters: [], query: [],
            body: .object([
                Field("track_number", .list, required: true, count: batchLimit, role: .positional, countCode: .tooManyAtOnce, "air waybill numbers, XXX-XXXXXXXX"),
                Field("lang", .string, "language, 2 letters"),
            ]),
            writes: false, rateClass: .general, verb: "aircargo", aliases: [],
            summary: "track air waybills", example: "aircargo 172-12345675",
            requestExample: .init(body: ["track_number": ["172-12345675", "160-00000000"], "lang": "en"])),
        Endpoint(
            id: .carriers, method: .get, path: "/carriers", pathParameters: [], query: [], body: .none,
            writes: false, rateClass: .general, verb: "carriers", aliases: [],
            summary: "every carrier TrackingMore knows", example: "carriers | where type == express | count"),
        Endpoint(
            id: .detect, method: .post, path: "/carriers/detect", pathParameters: [], query: [],
            body: .object([
                // Any text: a number detection cannot place is answered with 4032.
                Field("tracking_number", .string, required: true, maxLength: numberLimit, role: .positional,
                      missingCode: .trackingNumberRequired, "the number to recognise"),
            ]),
            writes: false, rateClass: .general, verb: "detect", aliases: [],
            summary: "guess the carrier from a number", example: "detect RR123456785CN",
            requestExample: .init(body: ["tracking_number": "RR123456785CN"])),
        // The sandbox's own controls: not part of TrackingMore's API.
        Endpoint(
            id: .sandboxAdvance, method: .post, path: "/sandbox/advance", pathParameters: [], query: [],
            body: .object([Field("seconds", .int, required: true, range: 0...Int.max, "how far to move the clock")]),
            writes: true, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "move the sandbox's clock forward", example: "sandbox advance 3d",
            // Twice would move the clock twice as far.
            safeToRetry: false,
            requestExample: .init(body: ["seconds": 259_200])),
        Endpoint(
            id: .sandboxReset, method: .post, path: "/sandbox/reset", pathParameters: [], query: [], body: .none,
            writes: true, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "delete every tracking and restart the clock", example: "sandbox reset"),
        Endpoint(
            id: .sandboxSeed, method: .post, path: "/sandbox/seed", pathParameters: [], query: [],
            body: .object([
                Field("count", .int, required: true, range: 1...10_000, "how many trackings to create"),
                Field("part", .int, range: 0...Int.max, "which part of a larger seed this is (each part gets numbers of its own)"),
            ]),
            writes: true, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "create realistic trackings across carriers and statuses", example: "sandbox seed 50",
            safeToRetry: false,
            requestExample: .init(body: ["count": 50])),
        Endpoint(
            id: .sandboxLimits, method: .post, path: "/sandbox/limits", pathParameters: [], query: [],
            body: .object([Field("limits", .string, required: true, "live: the API's published rate limits; off: none")]),
            writes: true, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "answer calls over the API's rate limits with 429, as the live API does", example: "sandbox limits live",
            requestExample: .init(body: ["limits": "live"])),
        Endpoint(
            id: .sandboxClock, method: .get, path: "/sandbox/clock", pathParameters: [], query: [], body: .none,
            writes: false, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "the sandbox's clock, which relative times (7d) count back from", example: "list created_at_min=7d"),
        Endpoint(
            id: .sandboxLesson, method: .post, path: "/sandbox/lessons", pathParameters: [], query: [],
            body: .object([
                Field("lesson", .string, required: true, "the lesson's folder name, e.g. 03-envelope"),
                Field("title", .string, "the lesson's title"),
                Field("state", .string, required: true, "started or done"),
            ]),
            writes: true, rateClass: .none, verb: "learn", aliases: [],
            summary: "record that the account's learner started or finished a lesson (tms learn against a classroom)",
            example: "tms learn",
            requestExample: .init(body: ["lesson": "03-envelope", "title": "The envelope and meta codes", "state": "started"])),
    ] + webhookControls

    /// The trackings the request examples name: a China Post parcel and a UPS one.
    static let examplePost: Record = ["tracking_number": "RR123456785CN", "carrier_code": "china-post"]
    static let exampleUPS: Record = ["tracking_number": "1Z999AA10123456784", "carrier_code": "ups"]

    /// The last path segments endpoints also take (`Endpoint.pathSuffix`): get's language.
    static let pathSuffixes: [Endpoint.ID: Field] = [.get: language]

    private static let byID: [Endpoint.ID: Endpoint] = Dictionary(uniqueKeysWithValues: endpoints.map { ($0.id, $0) })

    public static func endpoint(_ id: Endpoint.ID) -> Endpoint {
        guard let e = byID[id] else { preconditionFailure("the catalog lacks \(id)") }
        return e
    }

    /// The endpoint a request is for, with its path parameters; nil when no path matches.
    /// When the path matches with another method, `methodMismatch` lists the methods it has.
    public static func route(_ method: String, _ path: String) -> (Endpoint, [String: String])? {
        for e in endpoints where e.method.rawValue == method {
            if let values = e.match(path) { return (e, values) }
        }
        return nil
    }

    /// The methods a path answers to (for "method not allowed").
    public static func methods(for path: String) -> [Endpoint.Method] {
        endpoints.filter { $0.match(path) != nil }.map(\.method)
    }
}
