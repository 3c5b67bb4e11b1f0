import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization
import TrackingMore

/// Answers, with the API's envelope, what `tms serve` refuses before a request reaches the
/// sandbox, then closes the connection:
///
/// - a request HTTP's parser refused (header lines over the limits, a malformed request line
///   or header): `431 Request Header Fields Too Large` for headers over the limits, `400 Bad
///   Request` for the rest, meta 4012. Hummingbird's own answer is a bare `400` with no body,
///   written before the request reaches the responder; this handler sits just after the HTTP
///   decoder, catches the decoder's error and answers instead. Nothing after the refused bytes
///   can be read as HTTP, hence `Connection: close`.
/// - a connection past `Limits.maxConnections` open at once: `503 Service Unavailable` with
///   `Retry-After: 1` and meta 503, at once, without waiting for its request.
///
/// A parse error while a request's body is being read is let through: that request's responder
/// is waiting for the body and answers with the envelope itself ("not valid HTTP/1.1" for a bad
/// chunk, "cut short" when it ends too soon). With pipelined requests, those read before the bad
/// one are answered first, in order; the refusal follows the last of their answers.
final class RefusalHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long the client has to read the refusal and close before the server closes.
    static let linger = TimeAmount.seconds(2)

    private let limits: SandboxServer.Limits
    private let connections: OpenConnections
    /// Whether this connection is counted in `connections`.
    private var counted = false
    /// Requests whose head was read and whose answer has not ended.
    private var unanswered = 0
    /// A head was read and its body has not ended.
    private var inBody = false
    /// The refusal to send once the requests before it are answered.
    private var refusal: (status: HTTPResponse.Status, envelope: Envelope, fields: HTTPFields)?
    private var refused = false

    init(limits: SandboxServer.Limits, connections: OpenConnections) {
        self.limits = limits
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        closed()
    }

    private func opened(context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = true
        let open = connections.count.add(1, ordering: .relaxed).newValue
        if open > limits.maxConnections {
            refusal = (.serviceUnavailable, Envelope(.serviceUnavailable, message:
                "The server has \(limits.maxConnections) connections open, its most; try again in a moment."), [.retryAfter: "1"])
            refuse(context: context)
        }
    }

    private func closed() {
        guard counted else { return }
        counted = false
        connections.count.subtract(1, ordering: .relaxed)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard refusal == nil else { return }
        switch unwrapInboundIn(data) {
        case .head:
            unanswered += 1
            inBody = true
        case .end:
            inBody = false
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // After the refusal every error is a consequence of it (the decoder refuses the bytes
        // that follow); the connection is closing.
        guard refusal == nil else { return }
        guard !inBody, let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        refusal = answer(to: parserError)
        if unanswered == 0 {
            refuse(context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd: Bool
        if case .end = unwrapOutboundIn(data) { isEnd = true } else { isEnd = false }
        context.write(data, promise: promise)
        if isEnd {
            unanswered -= 1
            if unanswered == 0, refusal != nil {
                refuse(context: context)
            }
        }
    }

    func answer(to error: HTTPParserError) -> (status: HTTPResponse.Status, envelope: Envelope, fields: HTTPFields) {
        if error == .headerOverflow {
            let lineKB = limits.maxHeaderFieldSize / 1024, totalKB = limits.maxHeaderListSize / 1024
            return (.requestHeaderFieldsTooLarge, Envelope(.badRequest, message:
                "The request's header is too large: at most \(lineKB) KB a line, \(totalKB) KB and \(limits.maxHeaderFieldCount) lines in all."), [:])
        }
        return (.badRequest, Envelope(.badRequest, message: "The request is not valid HTTP/1.1 (\(error.debugDescription)); the connection is closed."), [:])
    }

    /// Writes the refusal, closes the sending side, and closes the connection when the client
    /// has closed its side or after `linger`, reading (and dropping) what it still sends
    /// meanwhile, so that closing does not reset the connection before the client has read it.
    private func refuse(context: ChannelHandlerContext) {
        guard !refused, let refusal else { return }
        refused = true
        let body = refusal.envelope.wireBytes
        var fields: HTTPFields = [
            .contentType: "application/json; charset=utf-8", .contentLength: String(body.count), .connection: "close",
        ]
        fields.append(contentsOf: refusal.fields)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: refusal.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.linger) {
            context.close(promise: nil)
        }
    }
}

/// The connections a server has open, counted by each connection's `RefusalHandler`.
final class OpenConnections: Sendable {
    let count = Atomic<Int>(0)
}
