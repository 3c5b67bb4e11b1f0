import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import TrackingMore

/// Answers a request that HTTP's parser refused (header lines over the limits, a malformed
/// request line or header) with the API's envelope, then closes the connection.
///
/// Hummingbird's own answer to a parse error is a bare `400` with no body, written before the
/// request reaches the responder. This handler sits in each connection's pipeline just after
/// the HTTP decoder, catches the decoder's error and answers instead: `431 Request Header
/// Fields Too Large` for headers over the limits, `400 Bad Request` for the rest, each with the
/// envelope (meta 4012) and `Connection: close`, since nothing after the refused bytes can be
/// read as HTTP. It lets the error through only while a request's body is being read: that
/// request's responder is waiting for the body and answers with the envelope itself ("not valid
/// HTTP/1.1" for a bad chunk, "cut short" when it ends too soon).
///
/// With pipelined requests, those read before the bad one are answered first, in order; the
/// refusal follows the last of their answers.
final class UnreadableRequestHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// How long the client has to read the refusal and close before the server closes.
    static let linger = TimeAmount.seconds(2)

    private let limits: SandboxServer.Limits
    /// Requests whose head was read and whose answer has not ended.
    private var unanswered = 0
    /// A head was read and its body has not ended.
    private var inBody = false
    /// The refusal to send once the requests before it are answered.
    private var refusal: (status: HTTPResponse.Status, envelope: Envelope)?
    private var refused = false

    init(limits: SandboxServer.Limits) {
        self.limits = limits
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

    func answer(to error: HTTPParserError) -> (status: HTTPResponse.Status, envelope: Envelope) {
        if error == .headerOverflow {
            let lineKB = limits.maxHeaderFieldSize / 1024, totalKB = limits.maxHeaderListSize / 1024
            return (.requestHeaderFieldsTooLarge, Envelope(.badRequest, message:
                "The request's header is too large: at most \(lineKB) KB a line, \(totalKB) KB and \(limits.maxHeaderFieldCount) lines in all."))
        }
        return (.badRequest, Envelope(.badRequest, message: "The request is not valid HTTP/1.1 (\(error.debugDescription)); the connection is closed."))
    }

    /// Writes the refusal, closes the sending side, and closes the connection when the client
    /// has closed its side or after `linger`, reading (and dropping) what it still sends
    /// meanwhile, so that closing does not reset the connection before the client has read it.
    private func refuse(context: ChannelHandlerContext) {
        guard !refused, let refusal else { return }
        refused = true
        let body = refusal.envelope.bytes
        let fields: HTTPFields = [
            .contentType: "application/json; charset=utf-8", .contentLength: String(body.count), .connection: "close",
        ]
        context.write(wrapOutboundOut(.head(HTTPResponse(status: refusal.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.linger) {
            context.close(promise: nil)
        }
    }
}
