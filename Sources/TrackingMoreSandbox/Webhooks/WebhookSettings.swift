import TrackingMore

/// How the sandbox sends webhooks: where it may send them and how it retries.
public struct WebhookSettings: Sendable {
    /// Hosts a webhook URL may name besides 127.0.0.1, ::1 and localhost; `*` allows any.
    /// (`tms serve --webhook-hosts`.) A sandbox sends nowhere else unless told.
    public var extraHosts: [String] = []
    /// The delay after the first failed attempt; each later one doubles it. The published
    /// schedule (v4: 2^n × 30 s) starts at 30 s; tests shorten it.
    public var retryBase: Duration = .seconds(30)
    /// Attempts in all, the first included (the published schedule: 14).
    public var attempts = 14
    /// How long one attempt waits for the receiver's answer.
    public var timeout: Duration = .seconds(10)
    /// Deliveries kept for `sandbox webhook deliveries`, explain and trace, per sandbox.
    public var logLimit = 500

    public init() {}

    /// The retry delays of the published schedule in virtual seconds: after attempt n fails,
    /// the next waits 30 × 2^(n-1) s, so the 14th attempt comes about 68 hours after the first.
    public static let publishedBase = 30

    /// Whether the sandbox may POST to `url`; the reason when not.
    func refusal(for url: String) -> String? {
        guard url.utf8.count <= 2000 else { return "a webhook URL has at most 2000 characters" }
        guard let host = WebhookSettings.host(of: url) else {
            return "'\(url)' is not an http:// or https:// URL with a host"
        }
        if ["127.0.0.1", "localhost", "::1"].contains(host) || extraHosts.contains("*") || extraHosts.contains(host) { return nil }
        return "the sandbox sends webhooks only to 127.0.0.1 and localhost (\(host) is not); tms serve --webhook-hosts \(host) allows it"
    }

    /// The host of an http(s) URL, lowercased, without brackets or port.
    static func host(of url: String) -> String? {
        let lower = url.lowercased()
        let rest: Substring
        if lower.hasPrefix("http://") {
            rest = lower.dropFirst(7)
        } else if lower.hasPrefix("https://") {
            rest = lower.dropFirst(8)
        } else {
            return nil
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@"), !authority.contains(" ") else { return nil }
        let host: Substring
        let portPart: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            portPart = authority[authority.index(after: close)...]
        } else {
            host = authority.prefix { $0 != ":" }
            portPart = authority.dropFirst(host.count)
        }
        // Nothing after the host but an optional port from 1 to 65535.
        if !portPart.isEmpty {
            guard portPart.hasPrefix(":"), let port = Int(portPart.dropFirst()), (1...65535).contains(port) else { return nil }
        }
        return host.isEmpty ? nil : String(host)
    }
}
