import Synchronization
import TrackingMore

extension APISession {
    /// Runs `body` with every write described instead of sent, and returns what `explain`
    /// prints: method, URL, headers with the key masked, the JSON body, the same as a `curl`
    /// command, for a PUT the change field by field, and the live API's form of each request
    /// when the backend is another. Reads still run, so later stages have data.
    func explaining(_ capabilities: Capabilities, _ body: () async throws -> Void) async throws -> String {
        let real = try transport(capabilities)
        let log = ExchangeLog()
        let describing = GuardedTransport(real, mode: .dryRun) { request, endpoint in log.append(.write(request, endpoint)) }
        connected = ReadRecorder(inner: describing) { request in log.append(.read(request)) }
        // One request at a time, so the writes are described in the order they would go.
        let window = inFlight
        inFlight = 1
        defer { (connected, inFlight) = (real, window) }
        try await body()
        var out = ""
        if !log.entries.isEmpty { out += "(\(backend.description))\n" }
        for entry in log.entries {
            switch entry {
            case .write(let request, let endpoint): out += describe(request, endpoint)
            case .read(let request):
                if let endpoint = Catalog.route(request.method, request.path)?.0, request.body != nil {
                    out += describe(request, endpoint, sent: true)
                } else {
                    out += "\(request.method) \(backend.baseURL)\(request.path)\(request.queryString)    (a read: sent)\n"
                    out += liveForm(request)
                }
            }
        }
        if log.entries.isEmpty { out += "(no API request)\n" }
        out += await webhookNote(for: log.entries.compactMap { if case .write(_, let e) = $0 { return e } else { return nil } }, through: real)
        return out
    }

    /// What the live API would receive, as one line, when the backend is not the live API:
    /// a learner in the sandbox sees the real address.
    func liveForm(_ request: APIRequest) -> String {
        guard !backend.isLive else { return "" }
        return "  live API: \(request.method) \(Catalog.liveBaseURL)\(request.path)\(request.queryString)\n"
    }

    /// `trace full`: the request as sent (the key masked) and the envelope as it came back.
    func fullTrace(_ request: APIRequest, _ envelope: Envelope, milliseconds: Int64) -> String {
        let key = self.key.map(maskKey) ?? "(none)"
        var out = "trace: > \(request.method) \(backend.baseURL)\(request.path)\(request.queryString)\n"
        out += "trace: > \(Catalog.keyHeader): \(key)\ntrace: > Content-Type: application/json\n"
        if let bytes = request.body {
            let body = (try? JSON.parse(bytes))?.prettyText ?? String(decoding: bytes, as: UTF8.self)
            out += body.split(separator: "\n", omittingEmptySubsequences: false).map { "trace: > " + $0 + "\n" }.joined()
        }
        out += "trace: < meta \(envelope.meta.code) \(envelope.meta.type) (\(milliseconds) ms)\n"
        out += envelope.json.prettyText.split(separator: "\n", omittingEmptySubsequences: false).map { "trace: < " + $0 + "\n" }.joined()
        return String(out.dropLast())
    }

    func describe(_ request: APIRequest, _ endpoint: Endpoint, sent: Bool = false) -> String {
        let url = backend.baseURL + request.path + request.queryString
        let key = self.key.map(maskKey) ?? "(none)"
        var out = "\(request.method) \(url)    (\(sent ? "a read: sent" : endpoint.summary + ": not sent"))\n"
        out += "  \(Catalog.keyHeader): \(key)\n  Content-Type: application/json\n"
        var body = ""
        if let bytes = request.body, let json = try? JSON.parse(bytes) {
            body = json.compactText
            out += json.prettyText.split(separator: "\n").map { "  " + $0 + "\n" }.joined()
            if endpoint.id == .put, case .record(let fields) = json {
                let (carrier, number) = (endpoint.match(request.path)?["carrier_code"] ?? "", endpoint.match(request.path)?["tracking_number"] ?? "")
                let before = lastRead[carrier + "|" + number]
                for (name, value) in fields.pairs {
                    var was = before?[name].map { $0.compactText } ?? "?"
                    var now = value.compactText
                    // One vocabulary: the status word it had, the number sent and what it means.
                    if name == "status" {
                        was = before?[name]?.stringValue ?? was
                        if let n = value.intValue, let change = StatusChange(rawValue: n) { now = "\(n) (\(change))" }
                    }
                    out += "  change: \(name): \(was) → \(now)\n"
                }
            }
        }
        var curl = "curl -X \(request.method) '\(url)' -H '\(Catalog.keyHeader): \(key)' -H 'Content-Type: application/json'"
        if !body.isEmpty { curl += " -d '" + body.replacingAll("'", with: "'\\''") + "'" }
        out += "  " + curl + "\n"
        out += liveForm(request)
        return out
    }
}

/// The requests `explain` saw, in order.
public final class ExchangeLog: Sendable {
    public enum Entry: Sendable {
        case write(APIRequest, Endpoint)
        case read(APIRequest)
    }

    private let list = Mutex<[Entry]>([])
    var entries: [Entry] { list.withLock { $0 } }
    public func append(_ entry: Entry) { list.withLock { $0.append(entry) } }

    /// The write of `request` that was not sent, taken out of the log: with bulk requests in
    /// flight each answer takes its own, so they are described in the requests' order.
    func take(_ request: APIRequest) -> [Entry] {
        list.withLock { entries in
            guard let i = entries.firstIndex(where: { if case .write(let r, _) = $0 { r == request } else { false } }) else { return [] }
            return [entries.remove(at: i)]
        }
    }

    /// The entries so far, leaving the log empty.
    func drain() -> [Entry] {
        list.withLock { entries in
            defer { entries.removeAll() }
            return entries
        }
    }

    public init() {}
}

/// Passes requests on, telling of each read it sends (for `explain`).
struct ReadRecorder: Transport {
    let inner: any Transport
    let read: @Sendable (APIRequest) -> Void

    func send(_ request: APIRequest) async throws -> Envelope {
        if !GuardedTransport.isWrite(request) { read(request) }
        return try await inner.send(request)
    }
}
