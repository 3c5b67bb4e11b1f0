extension Catalog {
    /// The most webhook URLs an account may register (the real service's dashboard allows 4).
    public static let webhookLimit = 4

    /// The sandbox's webhook controls: the real service sets webhooks in its dashboard, so
    /// these are sandbox controls beside `/sandbox/advance`, not part of TrackingMore's API.
    static let webhookControls: [Endpoint] = [
        Endpoint(
            id: .sandboxWebhooks, method: .get, path: "/sandbox/webhooks", pathParameters: [], query: [], body: .none,
            writes: false, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "the account's webhook URLs and the statuses each wants", example: "sandbox webhook list"),
        Endpoint(
            id: .sandboxWebhookAdd, method: .post, path: "/sandbox/webhooks/add", pathParameters: [], query: [],
            body: .object([
                Field("url", .string, required: true, "where to POST: http://127.0.0.1 or localhost unless tms serve --webhook-hosts allows more"),
                Field("statuses", .list, count: TrackingStatus.allCases.count, "the statuses to send (pending, transit, delivered, ...); none or empty: every one"),
            ]),
            writes: true, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "register a webhook URL (up to 4 per account), or change its statuses", example: "sandbox webhook add 'http://127.0.0.1:9000/' delivered",
            requestExample: .init(body: ["url": "http://127.0.0.1:9000/hooks", "statuses": ["delivered", "exception"]])),
        Endpoint(
            id: .sandboxWebhookRemove, method: .post, path: "/sandbox/webhooks/remove", pathParameters: [], query: [],
            body: .object([Field("url", .string, required: true, "the URL to stop sending to")]),
            writes: true, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "stop sending webhooks to a URL", example: "sandbox webhook remove 'http://127.0.0.1:9000/'",
            requestExample: .init(body: ["url": "http://127.0.0.1:9000/hooks"], after: [.sandboxWebhookAdd])),
        Endpoint(
            id: .sandboxDeliveries, method: .get, path: "/sandbox/webhooks/deliveries", pathParameters: [],
            query: [
                Field("after", .int, "only attempts numbered after this one"),
                Field("wait", .number, range: 0...10, "first wait up to this many seconds for the webhooks queued now to be sent"),
            ], body: .none,
            writes: false, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "the webhook attempts made for the account: URL, body, signature, the receiver's answer", example: "sandbox webhook deliveries",
            requestExample: .init(["after": 12, "wait": 2])),
        Endpoint(
            id: .sandboxTrigger, method: .post, path: "/sandbox/trigger", pathParameters: [], query: [],
            body: .object([
                Field("status", .string, required: true, "the status to move to: pending, notfound, transit, pickup, delivered, undelivered, exception or expired"),
                number, carrier,
            ]),
            writes: true, rateClass: .none, verb: "sandbox", aliases: [],
            summary: "move one tracking to a status now (with its checkpoint), so its webhook fires", example: "sandbox trigger delivered ups 1Z999AA10123456784",
            requestExample: .init(body: .record(Record([("status", "delivered")]).merging(Catalog.exampleUPS)))),
    ]
}
