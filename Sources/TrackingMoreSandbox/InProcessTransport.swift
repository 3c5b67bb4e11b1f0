import TrackingMore

/// Sends requests to a sandbox in this process. The sandbox gets exactly the method, path,
/// query and body bytes HTTP would carry, and the answer goes through its JSON bytes too, so
/// the in-process default and `tms serve` behave the same.
public struct InProcessTransport: Transport {
    public let sandbox: Sandbox
    /// nil uses the sandbox's local account.
    public let apiKey: String?

    public init(sandbox: Sandbox, apiKey: String? = nil) {
        self.sandbox = sandbox
        self.apiKey = apiKey
    }

    public func send(_ request: APIRequest) async throws -> Envelope {
        let answer = await sandbox.handle(request, apiKey: apiKey)
        guard let envelope = Envelope(json: try JSON.parse(answer.json.bytes)) else {
            return Envelope(.serverError, message: "The sandbox answered without an envelope.")
        }
        return envelope
    }
}
