import Hummingbird
import Logging
import NIOCore
import TrackingMore
import TrackingMoreSandbox

#if canImport(Glibc)
import Glibc
#endif

/// `tms serve`: the sandbox over HTTP at `/v2/...`, speaking the v2 API.
///
/// Every answer is the API's envelope with HTTP 200, as the v2 API does for its errors: its
/// clients read `meta`, and some fail on other statuses. Requests are authenticated by the
/// `Trackingmore-Api-Key` header; each key sees only its own trackings.
public struct SandboxServer: Sendable {
    public var host: String
    public var port: Int
    /// The largest request body accepted.
    public var bodyLimit: Int
    let sandbox: Sandbox
    /// Receives one line per request (the key masked) and the server's own messages.
    let log: @Sendable (String) -> Void

    public init(sandbox: Sandbox, host: String = "127.0.0.1", port: Int = 8080, bodyLimit: Int = 1 << 20, log: @escaping @Sendable (String) -> Void) {
        self.sandbox = sandbox
        self.host = host
        self.port = port
        self.bodyLimit = bodyLimit
        self.log = log
    }

    /// Serves until SIGTERM or SIGINT, then stops accepting connections and lets the requests
    /// in flight finish (their writes are done by then). `ready` gets the bound address.
    public func run(ready: @escaping @Sendable (String, Int) -> Void) async throws {
        let responder = SandboxResponder(sandbox: sandbox, bodyLimit: bodyLimit, log: log)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "tms"),
            onServerRunning: { channel in
                ready(host, channel.localAddress?.port ?? port)
            },
            logger: Logger(label: "tms-serve", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await app.runService()
    }
}

struct SandboxResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let sandbox: Sandbox
    let bodyLimit: Int
    let log: @Sendable (String) -> Void

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        var request = request
        let started = ContinuousClock.now
        let key = request.headers.first { $0.name.canonicalName == Catalog.keyHeader.lowercased() }?.value
        let envelope: Envelope
        let path = request.uri.path
        if path == "/v2" || path.hasPrefix("/v2/") {
            do {
                let body = try await request.collectBody(upTo: bodyLimit)
                let apiRequest = APIRequest(
                    method: request.method.rawValue, path: String(path.dropFirst(3)),
                    query: request.uri.query.map { APIRequest.parseQuery(Substring($0)) } ?? [],
                    body: body.readableBytes == 0 ? nil : Array(body.readableBytesView))
                if let key, !key.isEmpty {
                    envelope = await sandbox.handle(apiRequest, apiKey: key)
                } else {
                    envelope = Envelope(.invalidKey, message: "Missing the \(Catalog.keyHeader) header.")
                }
            } catch {
                envelope = Envelope(.badRequest, message: "The body is larger than \(bodyLimit) bytes.")
            }
        } else {
            envelope = Envelope(.notFound, message: "The API is under /v2, e.g. /v2/trackings/get.")
        }
        let elapsed = ContinuousClock.now - started
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        log("\(request.method.rawValue) \(request.uri.path) meta=\(envelope.meta.code) \(ms)ms key=\(key.map(maskKey) ?? "-")")
        var buffer = ByteBuffer()
        buffer.writeBytes(envelope.json.bytes)
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: buffer))
    }
}
