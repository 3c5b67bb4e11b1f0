import TrackingMore

extension APISession {
    /// The writes that can change a status, and so send webhooks.
    static let firesWebhooks: Set<Endpoint.ID> = [.put, .updatemore, .updateCarrier, .sandboxAdvance, .sandboxTrigger]

    /// Under trace, before a write that can send webhooks from a sandbox or tms serve: the
    /// number of the account's last delivery, so that `traceWebhooks` shows only the new ones.
    func webhookTraceMark(before endpoint: Endpoint, _ capabilities: Capabilities) async -> Int? {
        guard trace, APISession.firesWebhooks.contains(endpoint.id), !backend.isLive else { return nil }
        if let mark = webhookMark { return mark }
        let mark = await deliveries(after: 0, wait: 0, capabilities).compactMap { $0["id"]?.intValue }.max() ?? 0
        webhookMark = mark
        return mark
    }

    /// Under trace, after such a write: each webhook attempt it caused (waiting up to 3 s for
    /// them): URL, event, attempt and the receiver's status; under `trace full` also the
    /// signature, the body and the answer's text. The email that keys the signature is never
    /// part of a delivery.
    func traceWebhooks(since mark: Int, _ capabilities: Capabilities) async {
        let attempts = await deliveries(after: mark, wait: 3, capabilities)
        for d in attempts {
            let answer = d["answer_status"]?.intValue.map(String.init) ?? d["error"]?.stringValue ?? "no answer"
            var line = "trace: webhook #\(d["event"]?.compactText ?? "?") POST \(d["url"]?.stringValue ?? "?") "
            line += "(\(d["carrier_code"]?.stringValue ?? "") \(d["tracking_number"]?.stringValue ?? "") \(d["status"]?.stringValue ?? "")) "
            line += "attempt \(d["attempt"]?.compactText ?? "?") -> \(answer) \(d["outcome"]?.stringValue ?? "")"
            log(line)
            guard traceFull else { continue }
            log("  signature: \(d["signature"]?.stringValue ?? "")  (timeStr \(d["time_str"]?.stringValue ?? ""))")
            log("  body: \(d["body"]?.stringValue ?? "")")
            if let text = d["answer"]?.stringValue, !text.isEmpty { log("  answer: \(text)") }
        }
        webhookMark = attempts.compactMap { $0["id"]?.intValue }.max() ?? mark
    }

    private func deliveries(after: Int, wait: Int, _ capabilities: Capabilities) async -> [JSON] {
        let endpoint = Catalog.endpoint(.sandboxDeliveries)
        let request = APIRequest(method: endpoint.method.rawValue, path: endpoint.path, query: [("after", String(after)), ("wait", String(wait))])
        guard let envelope = try? await transport(capabilities).send(request), envelope.meta.isSuccess else { return [] }
        return envelope.data.listValue ?? []
    }
    /// What `explain` adds after writes that can change a status: which registered webhook
    /// URLs a change would be POSTed to, and what the body carries. Nothing is sent, and the
    /// signature's key (the account's email) is not shown.
    func webhookNote(for writes: [Endpoint], through transport: any Transport) async -> String {
        guard writes.contains(where: { APISession.firesWebhooks.contains($0.id) }) else { return "" }
        if backend.isLive {
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
