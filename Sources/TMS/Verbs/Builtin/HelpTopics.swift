import TrackingMore

/// The pages of `help TOPIC` that are not verbs: the API, its error codes, statuses, the
/// language, and the keywords. Each is short; the docs/ pages say more.
extension Help {
    struct Topic: Sendable {
        let name: String
        let summary: String
        let text: @Sendable (VerbRegistry) -> String
    }

    static let topics: [Topic] = [
        Topic(name: "api", summary: "the API verbs beside the endpoints they call", text: apiTable),
        Topic(name: "errors", summary: "every meta code the API can answer (help 4017 explains one)", text: { _ in errorsPage }),
        Topic(name: "statuses", summary: "the status words trackings carry, and what put status= takes", text: { _ in statusesPage }),
        Topic(name: "language", summary: "pipelines, words, key=value, quoting, comments, variables", text: { _ in languagePage }),
        Topic(name: "let", summary: "name a value", text: { _ in keyword("let NAME = PIPELINE", "binds a name; $NAME reads it; a later let rebinds it.", ["let t = get sto 402934299065", "$t.status", "let n = list status=exception | count"]) }),
        Topic(name: "def", summary: "make your own command", text: { _ in keyword("def NAME PARAM... { STATEMENTS }", "a command used like a verb; $PARAM holds each argument and $in the pipeline input.", ["def deliver carrier number { put $carrier $number status=4 }", "deliver fedex 763069130700"]) }),
        Topic(name: "param", summary: "declare a script's arguments", text: { _ in keyword("param { NAME: TYPE = DEFAULT   # help }", "first in a script: tms FILE --NAME VALUE fills it; tms FILE --help lists the parameters.", ["param {\n    days: int = 1        # look-back window\n  }", "list created_at_min=\"${days}d\" | count"]) }),
        Topic(name: "try", summary: "catch an error and go on", text: { _ in keyword("try { ... } catch e { ... }", "runs the block; an error goes to the catch block as $e (code, message, line, column, exit_code) and the script goes on.", ["try { get sto 402934299065 } catch e { print \"${e.code}: ${e.message}\" }"]) }),
        Topic(name: "source", summary: "run another script here", text: { _ in keyword("source FILE", "runs FILE's statements in this scope: its defs and lets stay.", ["source common.tms"]) }),
        Topic(name: "explain", summary: "show the HTTP requests a pipeline makes, send no write", text: { _ in keyword("explain PIPELINE", "reads run (later stages need their data); each write is shown (method, URL, headers with the key masked, body, curl) and not sent. trace full shows what was sent and received.", ["explain get sto 402934299065 | set status=7 | put", "explain list status=exception | delete"]) }),
        Topic(name: "learn", summary: "lessons on the API at the prompt, checked as you go", text: { _ in learnPage }),
    ]

    static func topic(_ name: String) -> Topic? { topics.first { $0.name == name } }

    static func keyword(_ usage: String, _ what: String, _ examples: [String]) -> String {
        "\(usage)\n\n\(what)\n\nExamples:\n" + examples.map { "  " + $0 + "\n" }.joined() + "\nhelp language shows the rest of the language.\n"
    }

    static let learnPage = """
        learn [N] [--list] [--reset]        (tms learn ... from the command line)

        Lessons on the TrackingMore API, each one idea and one task, checked as you go against a
        sandbox of their own: what a tracking is, create and quota, the envelope and its codes,
        statuses and what to tell the customer, a parcel's history, put 4/7/8, list and its cost,
        batch from a CSV, delete, carriers, realtime and rate limits, scripts, safety before live,
        webhooks. learn goes on at the first lesson not done; learn --list shows them all.
        At a lesson's prompt: hint, answer, again, skip, quit.

        docs/tutorial/ is the same course written out.

        """

    static var errorsPage: String {
        var out = "The API's meta codes (help CODE explains one: why, what to do, what it means for the customer):\n\n"
        for code in MetaCode.allCases where !code.isSuccess {
            let n = String(code.rawValue)
            out += "  " + n + String(repeating: " ", count: 6 - n.count) + code.message + "\n"
        }
        out += "\ntms's own errors have codes like E0104; docs/language.md lists them.\n"
        return out
    }

    static var statusesPage: String {
        var out = "A tracking's status (status CODE explains one, with its sub-statuses):\n\n"
        let width = TrackingStatus.allCases.map(\.rawValue.count).max() ?? 0
        for s in TrackingStatus.allCases {
            out += "  " + s.rawValue + String(repeating: " ", count: width - s.rawValue.count) + "  " + s.meaning + "\n"
        }
        out += """

            Reading uses these words: list status=exception.
            put and updatemore set only three: status=4 (delivered), status=7 (exception), status=8
            (back to the carrier's own status), or those words.

            """
        return out
    }

    static let languagePage = """
        A line is a pipeline: records flow from one verb to the next.
          get sto 402934299065 | set status=7 | put

        Words need no quotes: get ups 1Z999AA10123456784. A word with blanks does: title="Running shoes".
        'single quotes' are taken as written; "double quotes" fill in $name and $(pipeline).
        key=value gives a field or parameter: status=4, order_id=#1001, orders=A-1,A-2.
        # starts a comment at the start of a word (after a blank); inside a word it is text.
        $name reads a variable, $t.origin_info.trackinfo.0 a part of it; $in is the input.
        where status == delivered and destination_code in [US, CA] keeps matching records.
        ; or a new line ends a statement; a line ending in | goes on.

        Keywords: let def if else for in try catch return source param explain (help KEYWORD).
        docs/language.md is the full reference.

        """

    /// `help` with no topic: the topics, then the verbs by category.
    static func map(_ registry: VerbRegistry) -> String {
        let width = topics.map(\.name.count).max() ?? 0
        var out = "Topics (help TOPIC):\n"
        for t in topics { out += "  " + t.name + String(repeating: " ", count: width - t.name.count) + "  " + t.summary + "\n" }
        out += "  4017" + String(repeating: " ", count: max(0, width - 4)) + "  any meta code of the API: what it means and what to do\n\n"
        return out + overview(registry)
    }
}
