/// Stops write requests before they reach a backend: `--dry-run` and `explain` describe them
/// instead, `--read-only` refuses them. Every API request passes through here, whichever verb,
/// def or host verb built it, so no write can slip past.
public struct GuardedTransport: Transport {
    public enum Mode: Sendable, Equatable {
        /// Send everything.
        case send
        /// Describe writes, send reads (so later stages have data).
        case dryRun
        /// Refuse writes with an error, send reads.
        case readOnly
    }

    public let inner: any Transport
    public let mode: Mode
    public var taskExecutor: (any TaskExecutor)? { inner.taskExecutor }
    /// Told of each write that was not sent, to print it.
    let described: @Sendable (APIRequest, Endpoint) -> Void

    public init(_ inner: any Transport, mode: Mode, described: @escaping @Sendable (APIRequest, Endpoint) -> Void = { _, _ in }) {
        self.inner = inner
        self.mode = mode
        self.described = described
    }

    /// Whether a request changes data. The read-only POSTs (realtime, remote, costtime,
    /// aircargo, carriers/detect) do not; an unknown path counts as a write.
    public static func isWrite(_ request: APIRequest) -> Bool {
        guard let (endpoint, _) = Catalog.route(request.method.uppercased(), request.path) else {
            return request.method.uppercased() != "GET"
        }
        return endpoint.writes
    }

    public func send(_ request: APIRequest) async throws -> Envelope {
        guard mode != .send, GuardedTransport.isWrite(request) else { return try await inner.send(request) }
        let endpoint = Catalog.route(request.method.uppercased(), request.path)?.0
        switch mode {
        case .readOnly:
            throw TransportError.writeRefused(request: "\(request.method) \(request.path)", reason: "read-only mode stops every write")
        default:
            if let endpoint { described(request, endpoint) }
            // What the write would have sent stands in for its answer, so the pipeline goes on.
            let echo = request.body.flatMap { try? JSON.parse($0) } ?? .list([])
            return Envelope(.success, echo, message: "Not sent: dry run.")
        }
    }
}
