// A ticket bot that embeds tms: it runs a support script against an in-memory sandbox,
// with a host verb `notify` that posts to a (pretend) chat channel, and limits on what
// the script may do. docs/embedding.md walks through it.

import Synchronization
import TMS
import TrackingMore
import TrackingMoreSandbox

// MARK: A host verb

/// Where `notify` posts: here, a list the bot prints at the end.
final class Chat: Sendable {
    private let messages = Mutex<[String]>([])

    func post(_ text: String) { messages.withLock { $0.append(text) } }
    var all: [String] { messages.withLock { $0 } }
}

func notifyVerb(_ chat: Chat) -> Verb {
    Verb(
        Signature(
            "notify", category: .host,
            keywords: [.optional("channel", .string, help: "the chat channel, #support by default")],
            input: "trackings", output: "the same trackings",
            summary: "post each tracking's number and status to a chat channel",
            examples: [("list status=exception | notify channel=ops", "")])
    ) { call in
        let channel = call.string("channel") ?? "support"
        let trackings = try call.inputStream()
        // Lazy, like the built-in verbs: each tracking is posted as it passes.
        return .stream(ValueStream {
            guard let t = try await trackings.next() else { return nil }
            chat.post("#\(channel): \(t["tracking_number"]?.description ?? "?") is \(t["status"]?.description ?? "?")")
            return t
        })
    }
}

// MARK: The interpreter

func makeInterpreter(_ chat: Chat, output: @escaping (String) -> Void) throws -> Interpreter {
    let sandbox = try Sandbox(path: ":memory:")
    let interpreter = Interpreter(output: output)
    interpreter.api = APISession(backend: .sandbox) { InProcessTransport(sandbox: sandbox) }
    interpreter.register(notifyVerb(chat))
    interpreter.capabilities = Capabilities(
        allowedVerbs: ["sandbox", "list", "where", "select", "count", "notify", "print", "first", "get"],
        requestBudget: 50,
        fileAccess: false)
    return interpreter
}

// MARK: Running a script

let script = """
    sandbox seed 20
    sandbox advance 20d
    list status=exception | notify channel=ops | count
    """

let chat = Chat()
let interpreter = try makeInterpreter(chat) { print($0, terminator: "") }
do {
    let exceptions = try await interpreter.run(script, name: "ticket-bot.tms", printResults: false)
    print("exceptions: \(exceptions)")
    for message in chat.all { print(message) }
    print("requests made: \(interpreter.api?.requestsMade ?? 0)")
} catch let error as TMSError {
    print(DiagnosticRenderer().render(error.diagnostics), terminator: "")
}

// A script that reaches past its limits is stopped before it runs.
do {
    try await interpreter.run("create sto 402934299065", name: "rogue.tms")
} catch let error as TMSError {
    print(error.diagnostics.map { "\($0.code): \($0.message)" }.joined(separator: "\n"))
}
