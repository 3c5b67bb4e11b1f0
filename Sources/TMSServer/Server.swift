import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
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
    /// The limits that keep hostile or broken clients from exhausting the server; see
    /// docs/reliability.md.
    public var limits = Limits()
    let sandbox: Sandbox
    /// Receives the lines of the request log (one per request, the key masked), a few times
    /// a second.
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
        let requestLog = RequestLog(write: log)
        let flusher = Task { await requestLog.run() }
        defer {
            flusher.cancel()
            requestLog.flush()
        }
        let responder = SandboxResponder(sandbox: sandbox, bodyLimit: bodyLimit, log: requestLog)
        let logger = Logger(label: "tms-serve", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            responder: responder,
            server: .http1(configuration: limits.http1(connections: OpenConnections())),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "tms",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections + limits.refusedAtOnce, logger: logger)),
            onServerRunning: { channel in
                ready(host, channel.localAddress?.port ?? port)
            },
            logger: logger
        )
        // The connections' tasks, children of this one, inherit the preference.
        try await withTaskExecutorPreference(EventLoopExecutor(app.eventLoopGroup)) { try await app.runService() }
    }

    public struct Limits: Sendable {
        /// A connection that sends nothing for this long is closed: one with no complete
        /// request head yet (a slow client sending a header byte at a time), one whose body
        /// stalls, one idle between requests.
        public var idleTimeout = TimeAmount.seconds(15)
        /// Connections served at once. Up to `refusedAtOnce` more are accepted only to be
        /// answered 503 with the envelope and closed (`RefusalHandler`); past those, connections
        /// wait in the listen queue until one closes, so file descriptors stay well below the
        /// usual limit of 1024.
        public var maxConnections = 512
        public var refusedAtOnce = 64
        /// One header line (the request line too), all header lines, and how many of them; a
        /// request over them is answered 431 with the envelope (`RefusalHandler`).
        public var maxHeaderFieldSize = 8 * 1024
        public var maxHeaderListSize = 32 * 1024
        public var maxHeaderFieldCount = 100

        public init() {}

        func http1(connections: OpenConnections) -> HTTP1Channel.Configuration {
            var c = HTTP1Channel.Configuration(
                additionalChannelHandlers: [RefusalHandler(limits: self, connections: connections)], idleTimeout: idleTimeout)
            c.httpDecoder = .init(maxHeaderFieldSize: maxHeaderFieldSize, maxHeaderListSize: maxHeaderListSize, maxHeaderFieldCount: maxHeaderFieldCount)
            return c
        }
    }
}

/// Hummingbird's basic context and the event loop of the request's connection.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let eventLoop: any EventLoop

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        eventLoop = source.channel.eventLoop
    }
}

struct SandboxResponder: HTTPResponder {
    typealias Context = SandboxRequestContext
    let sandbox: Sandbox
    let bodyLimit: Int
    let log: RequestLog
    static let keyHeader = HTTPFields.Element.Name(Catalog.keyHeader)
    static let contentType: HTTPFields = [.contentType: "application/json; charset=utf-8"]

    func respond(to request: Request, context: SandboxRequestContext) async throws -> Response {
        // The writer resumes the request on its connection's event loop, which writes the answer.
        return await withTaskExecutorPreference(EventLoopExecutor(context.eventLoop)) { await answer(request) }
    }

    func answer(_ request: Request) async -> Response {
        let started = ContinuousClock.now
        let key = Self.keyHeader.flatMap { request.headers[$0] }
        let envelope: Envelope
        let path = request.uri.path
        if path == "/v2" || path.hasPrefix("/v2/") {
            do {
                // HTTP/1.1 has a body only with a Content-Length or a Transfer-Encoding: a GET
                // without either has nothing to wait for.
                let hasBody = request.headers[.transferEncoding] != nil || request.headers[.contentLength].map { $0 != "0" } ?? false
                let body = hasBody ? try await request.body.collect(upTo: bodyLimit) : ByteBuffer()
                let apiRequest = APIRequest(
                    method: request.method.rawValue, path: String(path.dropFirst(3)),
                    query: request.uri.query.map { APIRequest.parseQuery(Substring($0)) } ?? [],
                    body: body.readableBytes == 0 ? nil : Array(body.readableBytesView))
                if let key, !key.isEmpty {
                    envelope = await sandbox.handle(apiRequest, apiKey: key)
                } else {
                    envelope = Envelope(.invalidKey, message: "Missing the \(Catalog.keyHeader) header.")
                }
            } catch let e as HTTPError where e.status == .contentTooLarge {
                envelope = Envelope(.badRequest, message: "The body is larger than \(bodyLimit) bytes.")
            } catch let e as HTTPParserError where e != .invalidEOFState {
                // A chunked body whose framing is wrong (the connection closes after the answer).
                envelope = Envelope(.badRequest, message: "The body is not valid HTTP/1.1 (\(e.debugDescription)).")
            } catch {
                // The client closed the connection or sent less than its Content-Length.
                envelope = Envelope(.badRequest, message: "The body was cut short before its end.")
            }
        } else {
            envelope = Envelope(.notFound, message: "The API is under /v2, e.g. /v2/trackings/get.")
        }
        let elapsed = ContinuousClock.now - started
        let ms = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        log.add("\(request.method.rawValue) \(path) meta=\(envelope.meta.code) \(ms)ms key=\(key.map(maskKey) ?? "-")")
        return Response(status: .ok, headers: Self.contentType, body: ResponseBody(byteBuffer: envelope.withWireBytes { ByteBuffer(bytes: $0) }))
    }
}
