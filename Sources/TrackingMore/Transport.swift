/// One API request as it goes over the wire: method, path under the base URL, query, body.
public struct APIRequest: Sendable, Equatable {
    public var method: String
    /// Under the base URL, starting with `/`: `/trackings/get`.
    public var path: String
    public var query: [(name: String, value: String)]
    /// JSON bytes, or nil for none.
    public var body: [UInt8]?

    public init(method: String, path: String, query: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
    }

    /// `?a=1&b=2`, percent-encoded, or "" with no query.
    public var queryString: String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { percentEncoded($0.name) + "=" + percentEncoded($0.value) }.joined(separator: "&")
    }

    public static func == (a: APIRequest, b: APIRequest) -> Bool {
        a.method == b.method && a.path == b.path && a.body == b.body
            && a.query.map(\.name) == b.query.map(\.name) && a.query.map(\.value) == b.query.map(\.value)
    }

    /// Splits `path?query` as a server receives it.
    public static func parseQuery(_ text: Substring) -> [(name: String, value: String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecoded(String(parts[0]).replacingAll("+", with: " "))
            let value = parts.count > 1 ? percentDecoded(String(parts[1]).replacingAll("+", with: " ")) : ""
            return (name, value)
        }
    }
}

/// Sends API requests somewhere and returns the API's envelope: the in-process sandbox, a
/// `tms serve`, or the live API. The language talks only to this.
public protocol Transport: Sendable {
    func send(_ request: APIRequest) async throws -> Envelope
    /// Where tasks that send many requests at once best run: the event loop the requests'
    /// connections use, so that starting a request and reading its answer cross no threads
    /// (`HTTPTransport`); nil for anywhere.
    var taskExecutor: (any TaskExecutor)? { get }
}

extension Transport {
    public var taskExecutor: (any TaskExecutor)? { nil }
}
