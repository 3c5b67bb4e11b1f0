import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import Synchronization
import TMS
import TrackingMore

/// A webhook receiver on 127.0.0.1: a small Hummingbird server that turns each POST it gets
/// into a record (the tracking, plus `verified` when an email is given) and hands the records
/// out in the order they came. With `forwardTo`, each body is relayed unchanged to that URL
/// first, and its answer is the answer the sender gets.
public final class WebhookListener: Sendable {
    public struct Options: Sendable {
        /// 0 takes a free port.
        public var port = 0
        /// The account's email (the v2 signature's key); nil leaves `verified` out.
        public var email: String?
        /// Where to relay each webhook, e.g. the developer's own handler.
        public var forwardTo: String?
        public var bodyLimit = 1 << 20

        public init() {}
    }

    /// The port it listens on.
    public let port: Int
    private let records: AsyncStream<Value>
    private let sink: AsyncStream<Value>.Continuation
    private let server: Task<Void, Never>

    private init(port: Int, records: AsyncStream<Value>, sink: AsyncStream<Value>.Continuation, server: Task<Void, Never>) {
        self.port = port
        self.records = records
        self.sink = sink
        self.server = server
    }

    /// Starts listening on 127.0.0.1; returns once the port is bound. Throws a readable
    /// message when it cannot be (the port is taken).
    public static func start(_ options: Options) async throws -> WebhookListener {
        let (records, sink) = AsyncStream<Value>.makeStream(bufferingPolicy: .unbounded)
        let (bound, boundSink) = AsyncStream<Result<Int, ListenFailure>>.makeStream()
        let responder = ListenResponder(options: options, sink: sink)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: options.port), serverName: "tms-listen"),
            onServerRunning: { channel in
                boundSink.yield(.success(channel.localAddress?.port ?? options.port))
            },
            logger: Logger(label: "tms-listen", factory: { _ in SwiftLogNoOpLogHandler() }))
        let server = Task {
            do {
                // No signal handling of its own: Ctrl-C belongs to the shell or to `tms listen`.
                try await app.runService(gracefulShutdownSignals: [])
            } catch {
                boundSink.yield(.failure(ListenFailure(reason: "\(error)")))
            }
            boundSink.finish()
            sink.finish()
        }
        for await result in bound {
            switch result {
            case .success(let port): return WebhookListener(port: port, records: records, sink: sink, server: server)
            case .failure(let failure): throw failure
            }
        }
        throw ListenFailure(reason: "the server stopped before it was ready")
    }

    /// The webhooks received, in order, as a stream that ends when `stop` is called or the
    /// task reading it is cancelled (Ctrl-C).
    public var stream: AsyncStream<Value> { records }

    /// Stops listening; the stream ends after the records already received.
    public func stop() {
        sink.finish()
        server.cancel()
    }

    deinit {
        stop()
    }
}

/// Why the receiver could not start.
public struct ListenFailure: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String {
        if reason.contains("Address already in use") || reason.contains("EADDRINUSE") { return "the port is taken" }
        return reason
    }
}

/// Answers every POST: the body becomes a record; a relay (when asked) decides the answer.
struct ListenResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    /// Marks a webhook that a `tms listen` relayed.
    static let relayedHeader = "X-Tms-Forwarded"
    let options: WebhookListener.Options
    let sink: AsyncStream<Value>.Continuation

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        guard request.method == .post else {
            return answer(.methodNotAllowed, ["meta": ["code": 405, "type": "Method Not Allowed", "message": "Webhooks are POSTed."]])
        }
        var request = request
        let bytes: [UInt8]
        do {
            bytes = Array((try await request.collectBody(upTo: options.bodyLimit)).readableBytesView)
        } catch {
            return answer(.contentTooLarge, ["meta": ["code": 4503, "type": "Bad Request", "message": .string("The body is larger than \(options.bodyLimit) bytes.")]])
        }
        // 4503 and 4502 are the official PHP library's own codes for these two failures.
        guard let webhook = Webhook(body: bytes), case .record(var record) = webhook.tracking else {
            return answer(.badRequest, ["meta": ["code": 4503, "type": "Bad Request", "message": "No data received or data format error."]])
        }
        let verified = options.email.map { webhook.isSigned(by: $0) }
        if let verified { record["verified"] = .bool(verified) }
        var status = HTTPResponse.Status.ok
        var body: [UInt8] = Envelope(.success).json.bytes
        if verified == false {
            status = .unauthorized
            let refusal: JSON = ["meta": ["code": 4502, "type": "Unauthorized", "message": "Signature verification failed."]]
            body = refusal.bytes
        }
        if let target = options.forwardTo {
            // A relay that reaches this listener again (forward_to pointing back at it) would
            // go round for ever: the second pass stops it.
            guard !request.headers.contains(where: { $0.name.canonicalName == ListenResponder.relayedHeader.lowercased() }) else {
                return answer(.init(code: 508, reasonPhrase: "Loop Detected"), ["meta": ["code": 508, "type": "Loop Detected", "message": "forward_to leads back to a tms listen."]])
            }
            let relayed = await relay(bytes, to: target, contentType: request.headers[.contentType])
            record["forward_status"] = relayed.status.map { .int($0) } ?? .null
            record["forward_answer"] = .string(relayed.answer)
            if verified != false {
                status = relayed.status.map { HTTPResponse.Status(code: $0) } ?? .badGateway
                body = relayed.bytes
            }
        }
        sink.yield(.record(record))
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    func answer(_ status: HTTPResponse.Status, _ json: JSON) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    /// POSTs the body unchanged; the answer's status and the start of its body.
    func relay(_ bytes: [UInt8], to url: String, contentType: String?) async -> (status: Int?, answer: String, bytes: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
        request.headers.add(name: ListenResponder.relayedHeader, value: "1")
        request.body = .bytes(ByteBuffer(bytes: bytes))
        do {
            let response = try await HTTPTransport.sharedClient.execute(request, timeout: .seconds(30))
            let body = Array((try await response.body.collect(upTo: 1 << 20)).readableBytesView)
            return (Int(response.status.code), String(String(decoding: body, as: UTF8.self).prefix(500)), body)
        } catch {
            let reason = "\(error)".contains("onnectionRefused") || "\(error)".contains("refused") ? "connection refused" : "\(error)"
            let failure: JSON = ["meta": ["code": 502, "type": "Bad Gateway", "message": .string("tms listen could not reach \(url): \(reason)")]]
            return (nil, "could not reach \(url): \(reason)", failure.bytes)
        }
    }
}
