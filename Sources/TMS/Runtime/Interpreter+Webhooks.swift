import TrackingMore

extension Interpreter {
    /// What `explain` adds after writes that can change a status: which registered webhook
    /// URLs a change would be POSTed to, and what the body carries. Nothing is sent, and the
    /// signature's key (the account's email) is not shown.
    func webhookNote(for writes: [Endpoint], through transport: any Transport) async -> String {
        let moving: Set<Endpoint.ID> = [.put, .updatemore, .updateCarrier, .sandboxAdvance, .sandboxTrigger]
        guard writes.contains(where: { moving.contains($0.id) }) else { return "" }
        if backendURL == Catalog.liveBaseURL {
            return "webhooks: a status change this makes is POSTed by TrackingMore to the URLs set in your dashboard (tms cannot see them)\n"
        }
        let list = Catalog.endpoint(.sandboxWebhooks)
        guard let envelope = try? await transport.send(APIRequest(method: list.method.rawValue, path: list.path)),
            envelope.meta.code == 200, case .list(let hooks) = envelope.data
        else { return "" }
        // No URL registered: nothing would be sent, and explain says nothing of it.
        guard !hooks.isEmpty else { return "" }
        var out = "webhooks: after the answer, each status change is POSTed (not now: explain sends no write) to\n"
        for hook in hooks {
            let statuses = hook["statuses"]?.listValue?.compactMap(\.stringValue) ?? []
            out += "  \(hook["url"]?.stringValue ?? "?")    (\(statuses.isEmpty ? "every status" : statuses.joined(separator: ", ")))\n"
        }
        out += "  body: {\"meta\": {...200...}, \"data\": THE TRACKING as get shows it, \"verifyInfo\": {\"timeStr\": UNIX SECONDS AT SENDING, "
            + "\"signature\": HEX HMAC-SHA256 OF timeStr KEYED WITH THE ACCOUNT'S EMAIL}}\n"
        out += "  retried on an answer other than 2xx; sandbox webhook deliveries shows each attempt and the receiver's answer\n"
        return out
    }
}
