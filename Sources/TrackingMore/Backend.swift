/// Which server answers a session's requests. A value, not a URL: a `tms serve` on the
/// default classroom address is an endpoint like any other, never mistaken for the built-in
/// sandbox.
public enum Backend: Sendable, Equatable {
    /// The built-in sandbox, in this process.
    case sandbox
    /// Any server that speaks the v2 API at this base URL, e.g. a classroom's `tms serve`.
    case endpoint(String)
    /// The real API (`Catalog.liveBaseURL`), with the key of this profile (nil: no profile).
    case live(profile: String?)

    /// The base URL requests go to; for the in-process sandbox, the address of the same
    /// requests to a `tms serve` on its default port, which is how `explain` shows them.
    public var baseURL: String {
        switch self {
        case .sandbox: return Backend.serveDefaultURL
        case .endpoint(let url): return url
        case .live: return Catalog.liveBaseURL
        }
    }

    /// `tms serve`'s default address.
    public static let serveDefaultURL = "http://127.0.0.1:8080/v2"

    /// The word or URL the prompt shows: `sandbox`, `live:PROFILE`, or the endpoint's URL.
    public var label: String {
        switch self {
        case .sandbox: return "sandbox"
        case .endpoint(let url): return url
        case .live(let profile): return "live:" + (profile ?? "default")
        }
    }

    /// One line saying what the backend is, for `explain`.
    public var description: String {
        switch self {
        case .sandbox: return "the built-in sandbox: shown as the same requests to tms serve --port 8080"
        case .endpoint(let url): return "the server at \(url)"
        case .live(let profile): return "the live API" + (profile.map { " (profile \($0))" } ?? "")
        }
    }

    public var isLive: Bool {
        if case .live = self { return true }
        return false
    }
}
