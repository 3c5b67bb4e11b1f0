/// What each endpoint answers on success, as data: the shape of the envelope's `data`, said
/// once here. `tms openapi` writes the response schemas from it and Tests/openapi.py checks
/// every answer of a real `tms serve` against them.
public struct Answer: Sendable {
    /// The shape of `data`.
    public let data: Shape
    /// What the endpoint does and answers, in a sentence or two.
    public let help: String
    /// The meta codes its handler answers besides its fields' own (4017 for a tracking never
    /// created, 4016 for one that exists).
    public let errors: [MetaCode]
    /// The group it is listed under in the OpenAPI document.
    public let tag: Tag

    public enum Tag: String, Sendable, CaseIterable {
        case trackings, account, carriers, sandbox

        public var help: String {
            switch self {
            case .trackings: return "One tracking and many trackings."
            case .account: return "The account's quota and counts."
            case .carriers: return "Carriers, detection, remote areas, transit times, air cargo."
            case .sandbox: return "Sandbox-only controls (not part of TrackingMore's API)."
            }
        }
    }

    public init(_ data: Shape, _ tag: Tag, errors: [MetaCode] = [], _ help: String) {
        self.data = data
        self.help = help
        self.errors = errors
        self.tag = tag
    }
}

extension Endpoint {
    /// What it answers on success (the catalog's `Catalog.answer`).
    public var answer: Answer { Catalog.answer(id) }
}

extension BulkReport.Shape {
    /// The report as the object the API sends: the counts and each item's result.
    /// `done` is what `errorsApart` reports list for an item done (the tracking's short form).
    public func object(_ name: String, done: Shape.Object) -> Shape.Object {
        let count = Shape.integer(0...Catalog.batchLimit)
        var properties: [Shape.Property] = [
            .init("submitted", count, "items received"),
            .init(doneKey, count, "items done"),
        ]
        switch items {
        case .errorsApart:
            properties.append(.init("trackings", .list(done), "the items done"))
            properties.append(.init("errors", .list(itemResult("ItemError", failed: true)), "the items refused, each with its code"))
        case .codeEach:
            properties.append(.init("trackings", .list(itemResult(name + "Item", failed: false)), "one per item, in order"))
        case .metaEach:
            let meta = Shape.Object(name + "Item", "One item's result, in a `meta` of its own.", [
                .init("meta", .object(itemResult(name + "Meta", failed: false)), "the item's result"),
            ])
            properties.append(.init("trackings", .list(meta), "one per item, in order"))
        }
        return Shape.Object(name, "A bulk call's report: items received, how many were done (`\(doneKey)`), and each item's result.", properties)
    }

    /// One item's result: its number and carrier as sent, and the code it would have had alone.
    private func itemResult(_ name: String, failed: Bool) -> Shape.Object {
        let properties = resultFields.map { field -> Shape.Property in
            switch field {
            case "code": return .init(field, .integer(nil), failed ? "the code the item would have had alone" : "200 when done, else the error's code")
            case "type": return .init(field, .string, "the code's type")
            case "message": return .init(field, .string, "the code's message")
            default: return .init(field, .any, "the item's \(field), as it was sent (null when it had none)")
            }
        }
        return Shape.Object(name, failed ? "An item a bulk call refused, with the meta code it would have had alone." : "One item's result.", properties)
    }
}

extension Catalog {
    /// What the endpoint answers on success.
    public static func answer(_ id: Endpoint.ID) -> Answer {
        func report(_ name: String) -> Shape {
            let e = endpoint(id)
            guard let shape = e.report else { preconditionFailure("\(e.title) has no report shape") }
            return .object(shape.object(name, done: batchTracking))
        }
        let nothing = Shape.list(.any, min: nil, max: 0)
        switch id {
        case .create:
            return Answer(.object(createdTracking), .trackings, errors: [.trackingExists, .quotaUsedUp], "Creates one tracking and answers its short form.")
        case .get:
            return Answer(.object(trackingObject), .trackings, errors: [.trackingDoesNotExist], "The full tracking object, with its checkpoints.")
        case .put:
            return Answer(.object(putAnswer), .trackings, errors: [.trackingDoesNotExist],
                          "Changes the editable fields (a null field is left as it is) and answers them as the API document's example does.")
        case .delete:
            return Answer(nothing, .trackings, errors: [.trackingDoesNotExist], "Deletes the tracking; `data` is `[]` on success too.")
        case .batch:
            return Answer(report("BatchReport"), .trackings, errors: [.trackingExists, .quotaUsedUp],
                          "Creates each item; the ones refused are listed in `errors` with their code. Answers 201 when at least one was added.")
        case .list, .listByBody:
            return Answer(.object(listPage), .trackings, "One page of full tracking objects, newest first; a page past the end is empty.")
        case .updatemore:
            return Answer(report("UpdateMoreReport"), .trackings, errors: [.trackingDoesNotExist],
                          "Changes each item's editable fields; the ones refused are listed in `errors`.")
        case .deleteMany:
            return Answer(report("DeleteManyReport"), .trackings, errors: [.trackingDoesNotExist], "Deletes each item; each has its own `meta`.")
        case .realtime:
            return Answer(.object(realtimeResult), .trackings, "The tracking as the carrier has it now (a number not created is simulated).")
        case .updateCarrier:
            return Answer(.object(updateCarrierResult),
                          .trackings, errors: [.trackingDoesNotExist, .trackingExists], "Moves the tracking to another carrier.")
        case .userinfo:
            return Answer(.object(userInfo), .account, "The account and its remaining quota.")
        case .statusnumber:
            return Answer(.object(statusCounts), .account, "How many trackings are in each status.")
        case .notupdate:
            return Answer(report("NotUpdateReport"), .trackings, errors: [.trackingDoesNotExist], "Stops refreshing each item.")
        case .remote:
            return Answer(.object(remoteReport), .carriers, "Each address, as remote or not for its carrier.")
        case .costtime:
            return Answer(.list(costTime), .carriers, "Transit-time statistics for each item.")
        case .aircargo:
            return Answer(.list(.object(airWaybill), min: 1, max: batchLimit), .carriers, errors: [.trackingNumberInvalid],
                          "Each air waybill's flights and events, in the order given.")
        case .carriers:
            return Answer(.list(carrierObject), .carriers, "Every carrier TrackingMore knows.")
        case .detect:
            return Answer(.list(.object(detectedCarrier), min: 1, max: nil), .carriers, errors: [.carrierNotDetected],
                          "The carriers whose numbers look like this one.")
        case .sandboxAdvance:
            return Answer(.object(advanceResult), .sandbox, "Moves the account's clock forward; parcels move with it.")
        case .sandboxReset:
            return Answer(.object(resetResult), .sandbox, "Deletes every tracking of the account and restarts its clock.")
        case .sandboxSeed:
            return Answer(.object(seedResult), .sandbox, errors: [.quotaUsedUp], "Creates trackings across carriers and statuses, each using one quota.")
        case .sandboxLimits:
            return Answer(.object(limitsResult), .sandbox, "Sets whether the account is answered 429 over the live API's rate limits.")
        case .sandboxClock:
            return Answer(.object(clockResult), .sandbox, "The account's clock, which relative times (7d) count back from.")
        case .sandboxLesson:
            return Answer(.object(lessonResult), .sandbox, "Records a lesson started or done for the account's learner.")
        case .sandboxWebhooks, .sandboxWebhookAdd, .sandboxWebhookRemove:
            return Answer(.list(webhook, max: webhookLimit), .sandbox, "The account's webhook URLs after the call.")
        case .sandboxDeliveries:
            return Answer(.list(webhookDelivery), .sandbox, "The webhook attempts made for the account, oldest first.")
        case .sandboxTrigger:
            return Answer(.object(trackingObject), .sandbox, errors: [.statusInvalid],
                          "Creates the tracking when it does not exist, moves it to the status now and sends its webhook; answers the tracking.")
        }
    }

    // MARK: The objects answered

    public static let listPage = Shape.Object("ListPage", "One page of `GET /trackings/get`.", [
        .init("page", .integer(1...Int.max), "the page, from 1"),
        .init("limit", .integer(1...pageLimit), "items per page"),
        .init("total", .text(.digits), "how many trackings match, as a string (as the API sends it)"),
        .init("count", .integer(0...pageLimit), "the number of items on this page"),
        .init("items", .list(.object(trackingObject), min: nil, max: pageLimit), "the trackings, newest first"),
    ])

    public static let updateCarrierResult = Shape.Object("UpdateCarrierResult", "What moving a tracking answers.", [.init("Usertag", .string, "empty")])

    public static let realtimeResult = Shape.Object("RealtimeResult", "What `POST /trackings/realtime` answers.", [
        .init("items", .list(.object(trackingObject), min: 1, max: 1), "the one tracking"),
    ])

    public static let userInfo = Shape.Object("UserInfo", "The account.", [
        .init("email", .string, "the account's email"),
        .init("regtime", .text(.digits), "registration time, unix seconds as a string"),
        .init("phone", .string, "the account's phone"),
        .init("money", .number, "the balance"),
        .init("track_number", .integer(nil), "the remaining tracking quota"),
    ])

    public static let statusCounts = Shape.Object(
        "StatusCounts", "How many trackings are in each status.",
        TrackingStatus.allCases.map { .init($0.rawValue, .integer(0...Int.max), $0.meaning) })

    public static let detectedCarrier = Shape.Object("DetectedCarrier", "A carrier whose numbers look like the one given.", [
        .init("name", .string, "the carrier's name"),
        .init("code", .string, "its TrackingMore code"),
    ])

    public static let remoteEntry = Shape.Object("RemoteEntry", "One address of `POST /trackings/remote`.", [
        .init("far_express_company", .string, "the carrier (lowercase; dhl when none was given)"),
        .init("two_code", .text(.country), "the country's 2-letter code"),
        .init("far_country", .string, "the country's name"),
        .init("far_city_postcode", .string, "the postal code or city, as given"),
    ])

    public static let remoteReport = Shape.Object("RemoteReport", "The addresses, remote or not.", [
        .init("submitted", .integer(0...batchLimit), "items received"),
        .init("other", .list(remoteEntry), "the addresses that are not remote"),
        .init("remote", .list(remoteEntry), "the addresses the carrier treats as remote"),
    ])

    public static let costTime = Shape.Object("CostTime", "How long a carrier takes between two countries.", [
        .init("carrier_code", .string, "the carrier"),
        .init("original", .text(.country), "origin country"),
        .init("destination", .text(.country), "destination country"),
        .init("total", .integer(0...Int.max), "number of samples"),
        .init("delivered", .integer(0...Int.max), "delivered samples"),
        .init("range1", .text(.percent), "share delivered within 0-7 days"),
        .init("range3", .text(.percent), "share delivered in 7-15 days"),
        .init("range4", .text(.percent), "share delivered in 16-30 days"),
        .init("range5", .text(.percent), "share delivered in 31-60 days"),
    ])

    public static let airEvent = Shape.Object("AirEvent", "One event of an air waybill.", [
        .init("plan_date", .text(.dateTime), "when it is planned"),
        .init("actual_date", .nullable(.text(.dateTime)), "when it happened; null while it has not"),
        .init("event", .oneOf(["RCS", "DEP", "ARR", "DLV"]), "RCS received, DEP departed, ARR arrived, DLV delivered"),
        .init("station", .text(.airport), "where"),
        .init("flight_number", .string, "the flight"),
    ])

    public static let airWaybill = Shape.Object("AirWaybill", "One air waybill.", [
        .init("track_number", .text(.airWaybill), "the air waybill number"),
        .init("airline", .string, "the airline"),
        .init("weight", .text(.digits), "total weight, a number as a string"),
        .init("piece", .text(.digits), "number of pieces, as a string"),
        .init("origin", .text(.airport), "origin airport"),
        .init("destination", .text(.airport), "destination airport"),
        .init("status_number", .integer(0...4), "how many of the events have happened"),
        .init("track_info", .list(airEvent), "the events"),
    ])

    public static let advanceResult = clock("AdvanceResult", [.init("changed", .integer(0...Int.max), "how many trackings changed status or update time")])
    public static let resetResult = clock("ResetResult", [])
    public static let clockResult = clock("ClockResult", [.init("unix", .integer(nil), "the clock in unix seconds")])

    /// The sandbox's clock, and what else the control answers.
    static func clock(_ name: String, _ more: [Shape.Property]) -> Shape.Object {
        Shape.Object(name, "The account's clock after the call.", [.init("now", .text(.isoTime), "the account's clock")] + more)
    }

    public static let seedResult = Shape.Object("SeedResult", "What seeding added.", [
        .init("added", .integer(0...Int.max), "how many trackings were added"),
        .init("quota_left", .integer(0...Int.max), always: false, "only when the quota ran out before all were added"),
    ])

    public static let limitsResult = Shape.Object("LimitsResult", "The account's rate limits now.", [
        .init("limits", .oneOf(["live", "off"]), "live: the API's published rate limits; off: none"),
        .init("note", .string, always: false, "when the server limits every account (tms serve --limits live)"),
    ])

    public static let lessonResult = Shape.Object("LessonResult", "The lesson as recorded.", [
        .init("lesson", .string, "the lesson's folder name"),
        .init("state", .oneOf(["started", "done"]), "started or done (done stays done)"),
        .init("at", .text(.isoTime), "when it was recorded (real time)"),
    ])

    public static let webhook = Shape.Object("Webhook", "A webhook URL of the account.", [
        .init("url", .string, "where the sandbox POSTs"),
        .init("statuses", .list(.text(.status), min: nil, max: nil), "the statuses sent to it; empty means every status"),
        .init("created_at", .text(.isoTime), "when it was added"),
    ])

    public static let webhookDelivery = Shape.Object("WebhookDelivery", "One attempt to send a webhook.", [
        .init("id", .integer(nil), "the attempt's number in this sandbox"),
        .init("event", .integer(nil), "the event's number; every attempt of one event shares it"),
        .init("url", .string, "where it was sent"),
        .init("tracking_number", .string, "the tracking"),
        .init("carrier_code", .string, "its carrier"),
        .init("status", .text(.status), "the status it announced"),
        .init("attempt", .integer(1...14), "1 for the first attempt"),
        .init("outcome", .oneOf(["delivered", "retrying", "failed"]), "what came of it"),
        .init("answer_status", .nullable(.integer(nil)), "the receiver's HTTP status; null when it could not be reached"),
        .init("answer", .string, "the start of the receiver's answer"),
        .init("error", .nullable(.string), "why no answer came"),
        .init("next_attempt_in", .nullable(.number), "seconds until the next attempt, when one is scheduled"),
        .init("ms", .integer(nil), "how long it took"),
        .init("time_str", .string, "verifyInfo.timeStr: unix seconds of sending"),
        .init("signature", .text(.signature), "hex HMAC-SHA256 of time_str keyed with the account's email"),
        .init("body", .string, "the JSON body as sent"),
    ])
}
