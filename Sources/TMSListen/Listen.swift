import TMS
import TrackingMore

extension WebhookListener {
    /// `listen [PORT] [email=E] [timeout=D] [forward_to=URL]`: receives webhooks on 127.0.0.1
    /// and produces each as a record, lazily, until Ctrl-C, `first N` or the timeout. A host
    /// registers it (`interpreter.register(WebhookListener.verb)`), as the `tms` command does,
    /// so the language itself stays free of an HTTP server.
    public static let verb = Verb(
        Signature(
            "listen", category: .api,
            positional: [.optional("port", .int, help: "the port on 127.0.0.1; 0 or none takes a free one")],
            keywords: [
                .optional("port", .int, help: "the port, as a keyword"),
                .optional("email", .string, help: "the account's email: each record gets verified: true or false from the signature"),
                .optional("secret", .string, help: "the same as email (v2 signs with the account's email)"),
                .optional("timeout", .duration, help: "stop after this long, e.g. 30s or 5m"),
                .optional("forward_to", .string, help: "relay each webhook unchanged to this URL; its answer goes back to the sender"),
            ],
            output: "a stream of records: the tracking of each webhook, plus verified (with email) and forward_status, forward_answer (with forward_to)",
            summary: "receive webhooks on 127.0.0.1: each one becomes a record as it arrives",
            examples: [
                ("listen 9000 | where status == delivered | each { print \"deliver ${it.tracking_number}\" }", "react to deliveries as they happen"),
                ("listen email=sandbox@example.org | first 3", "three webhooks, each with verified: true or false"),
                ("listen 9000 forward_to='http://127.0.0.1:3000/hooks' timeout=5m", "relay to your own handler and show its answers"),
            ])
    ) { call in
        var options = Options()
        let portSpan = call.value("port") == nil ? call.span : call.span(of: "port")
        if let p = call.value("port") {
            guard let n = p.intValue, (0...65535).contains(n) else {
                throw TMSError(.listenOption(portSpan, parameter: "port", expected: "a number from 0 to 65535", found: p.summaryText))
            }
            options.port = n
        }
        options.email = call.string("email") ?? call.string("secret")
        if let target = call.value("forward_to") {
            guard let url = target.stringValue, url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw TMSError(.listenOption(call.span(of: "forward_to"), parameter: "forward_to", expected: "an http:// or https:// URL", found: target.summaryText))
            }
            options.forwardTo = url
        }
        var timeout: Duration?
        if let t = call.value("timeout") {
            guard case .double(let seconds) = t, seconds > 0, seconds <= 366 * 86400 else {
                throw TMSError(.listenOption(call.span(of: "timeout"), parameter: "timeout", expected: "a positive duration such as 30s", found: t.summaryText))
            }
            timeout = .milliseconds(Int(seconds * 1000))
        }
        let listener: WebhookListener
        do {
            listener = try await WebhookListener.start(options)
        } catch let failure as ListenFailure {
            throw TMSError(.cannotListen(portSpan, port: options.port, reason: failure.description))
        }
        call.note("listening on http://127.0.0.1:\(listener.port)" + (options.forwardTo.map { ", forwarding to \($0)" } ?? ""))
        let reader = Reader(listener, timeout: timeout, flush: { call.flushOutput() })
        return .stream(ValueStream { await reader.next() })
    }

    /// Holds the listener for as long as the stream is read: when the pipeline lets go of
    /// the stream (after `first N`), the listener goes too and its port is freed, and Ctrl-C
    /// goes back to whoever had it.
    final class Reader {
        var iterator: AsyncStream<Value>.Iterator
        let watch: InterruptWatch
        let flush: () -> Void

        init(_ listener: WebhookListener, timeout: Duration?, flush: @escaping () -> Void) {
            iterator = listener.stream.makeAsyncIterator()
            watch = listener.stopOnInterrupt(timeout: timeout)
            self.flush = flush
        }

        func next() async -> Value? {
            // What the pipeline printed so far shows before the wait for the next webhook.
            flush()
            if let value = await iterator.next() { return value }
            watch.finish()
            return nil
        }
    }
}

extension Value {
    /// A value as an error message quotes it.
    var summaryText: String {
        switch self {
        case .string(let s): return "'\(s)'"
        default: return compactText
        }
    }
}
