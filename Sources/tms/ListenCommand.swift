import ArgumentParser
import TMS
import TMSListen
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// `tms listen`: the `listen` verb from the shell. Each webhook is printed as one JSON line
/// on stdout as it arrives; the address and a line per webhook go to stderr.
struct ListenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Receive webhooks on 127.0.0.1 and print each as a JSON line.",
        discussion: """
            Prints 'listening on http://127.0.0.1:PORT' on stderr when ready. Stops on Ctrl-C, \
            after --count webhooks, or after --timeout. The same as the language's \
            'listen PORT email=E forward_to=URL timeout=D'.
            """)

    @Option(help: "The port on 127.0.0.1; 0 takes a free one.")
    var port = 0

    @Option(help: ArgumentHelp("The account's email, which signs v2 webhooks: each record gets verified: true or false, and a bad signature is answered 401.", valueName: "email"))
    var email: String?

    @Option(help: ArgumentHelp("The same as --email.", valueName: "email"))
    var secret: String?

    @Option(help: ArgumentHelp("Relay each webhook unchanged to this URL and answer the sender with its answer.", valueName: "url"))
    var forwardTo: String?

    @Option(help: ArgumentHelp("Stop after this long: 30s, 5m, 1h.", valueName: "duration"))
    var timeout: String?

    @Option(help: ArgumentHelp("Stop after this many webhooks.", valueName: "n"))
    var count: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let forwardTo, !(forwardTo.hasPrefix("http://") || forwardTo.hasPrefix("https://")) {
            throw ValidationError("--forward-to must be an http:// or https:// URL")
        }
        if let timeout, ListenCommand.seconds(timeout) == nil {
            throw ValidationError("--timeout must be a duration such as 30s, 5m or 1h, not '\(timeout)'")
        }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if email != nil && secret != nil && email != secret { throw ValidationError("--email and --secret name the same thing: give one") }
    }

    /// Seconds in a duration of the language (30s, 5m, 1h), when positive and under a year.
    static func seconds(_ text: String) -> Double? {
        Coercion.duration(text).flatMap { $0 > 0 && $0 <= 366 * 86400 ? $0 : nil }
    }

    func execute() async throws {
        var options = WebhookListener.Options()
        options.port = port
        options.email = email ?? secret
        options.forwardTo = forwardTo
        let listener: WebhookListener
        do {
            listener = try await WebhookListener.start(options)
        } catch let failure as ListenFailure {
            throw ValidationError("cannot listen on 127.0.0.1:\(port): \(failure)")
        }
        writeAll(2, "listening on http://127.0.0.1:\(listener.port)" + (forwardTo.map { ", forwarding to \($0)" } ?? "") + "\n")
        let stopper = listener.stopOnInterrupt(timeout: timeout.flatMap(ListenCommand.seconds).map { .milliseconds(Int($0 * 1000)) })
        var received = 0
        for await record in listener.stream {
            received += 1
            writeAll(1, record.compactText + "\n")
            var line = "\(record["carrier_code"]?.stringValue ?? "?") \(record["tracking_number"]?.stringValue ?? "?") \(record["status"]?.stringValue ?? "?")"
            if case .bool(let verified)? = record["verified"] { line += verified ? " verified" : " NOT VERIFIED" }
            if let status = record["forward_status"] {
                line += " -> \(forwardTo ?? "") answered \(status.isNull ? (record["forward_answer"]?.stringValue ?? "nothing") : status.compactText)"
            }
            writeAll(2, line + "\n")
            if let count, received >= count { break }
        }
        stopper.finish()
    }
}
