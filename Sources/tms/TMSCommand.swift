import ArgumentParser
import Synchronization
import TMS
import TMSListen
import TrackingMore
import TrackingMoreSandbox
import TMSShell

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tms`: run a script, a one-liner, or a script read from stdin.
struct TMSCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "tms",
        abstract: "A shell and command language for the TrackingMore v2 API.",
        discussion: """
            tms FILE.tms [ARGS...]   run a script (FILE.tms --help: its parameters)
            tms -c 'PIPELINE'        run one line; piped stdin is data ($in)
            tms < FILE.tms           read a script from stdin
            tms                      the interactive shell (at a terminal)
            tms help [TOPIC]         topics and verbs; help VERB, help errors, help 4017
            tms learn                lessons on the API, checked as you go

            Subcommands (each has --help):
            tms serve [--port N] [--db FILE]   the sandbox over HTTP at /v2
            tms keys add|list|revoke NAME      API keys of a tms serve database
            tms config explain                 every setting and where it came from
            tms listen                         receive webhooks on 127.0.0.1
            tms openapi [--json]               the OpenAPI document of tms serve

            Exit codes:
              0    success
              1    runtime error (a failed assert, a wrong value)
              2    usage or parse error: nothing ran
              4    the key or the configuration was refused (API 4001, 4002, 401)
              5    the API refused a request (another meta code) and it was not caught
              6    network failure, or the API's 5xx after retries
              7    a bulk operation finished with some items failed
              130  interrupted (Ctrl-C)
            """,
        version: "tms \(version)"
    )

    @Option(name: .customShort("c"), help: ArgumentHelp("Run one line of tms.", valueName: "pipeline"))
    var command: String?

    @Option(help: "How results are printed: table, json, jsonl or csv.")
    var output: OutputFormatOption?

    @Flag(help: "Never colour the output (NO_COLOR in the environment does the same).")
    var noColor = false

    @Option(help: ArgumentHelp("The built-in sandbox's database: a file, or :memory: (default $XDG_DATA_HOME/tms/sandbox.sqlite).", valueName: "file"))
    var sandbox: String?

    @Option(help: ArgumentHelp("A profile of $XDG_CONFIG_HOME/tms/config.toml ([profile.NAME]: backend, api_key_env or api_key, rate, read_only).", valueName: "name"))
    var profile: String?

    @Flag(help: "Use the live API (https://api.trackingmore.com/v2) with the key from TRACKINGMORE_API_KEY or --api-key-stdin.")
    var live = false

    @Option(help: ArgumentHelp("Any server that speaks the v2 API, e.g. a classroom's tms serve: http://HOST:PORT/v2.", valueName: "url"))
    var endpoint: String?

    @Flag(help: "Read the API key from the first line of stdin.")
    var apiKeyStdin = false

    @Option(help: ArgumentHelp(visibility: .hidden))
    var apiKey: String?

    @Option(help: ArgumentHelp("Requests per second (the live API allows 1; the sandbox and tms serve are unlimited unless this is given).", valueName: "n"))
    var rate: Double?

    @Option(name: .customLong("in-flight"), help: ArgumentHelp("How many requests a bulk create, delete, updatemore or notupdate keeps in flight at once (1 to 32; default 24). The rate limit still paces them.", valueName: "n"))
    var inFlight: Int?

    @Flag(help: "Send no write: print each write request instead (reads still run).")
    var dryRun = false

    @Flag(help: "Refuse every write request.")
    var readOnly = false

    @Flag(help: "Print every API exchange on stderr; --trace=full shows each request's URL, headers (key masked) and body and the answer's envelope.")
    var trace = false

    @Flag(name: .customLong("trace-full"), help: ArgumentHelp(visibility: .hidden))
    var traceFull = false

    @Option(help: ArgumentHelp("Where a bulk call's failed items worth retrying are written (failed-TIME.jsonl; default the current directory, and none for --sandbox :memory: unless this is given).", valueName: "dir"))
    var failedItems: String?

    @Flag(help: "Answer yes to confirmations (deleting more than 10 trackings off the built-in sandbox, at a terminal).")
    var yes = false

    @Flag(name: .customShort("X"), help: "Skip the startup file ($XDG_CONFIG_HOME/tms/init.tms) of the interactive shell.")
    var skipStartupFile = false

    @Flag(help: "Never page long output in the interactive shell.")
    var noPager = false

    func validate() throws {
        if apiKey != nil {
            throw ValidationError("a key on the command line is refused: it would show in the process list and in shell history; use TRACKINGMORE_API_KEY or --api-key-stdin")
        }
        if live && endpoint != nil { throw ValidationError("--live and --endpoint each choose the backend: give one") }
        if (live || endpoint != nil) && sandbox != nil { throw ValidationError("--sandbox chooses the built-in sandbox: not with --live or --endpoint") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be a positive number of requests per second") }
        if let inFlight, !APISession.inFlightRange.contains(inFlight) { throw ValidationError("--in-flight must be a whole number from 1 to 32") }
        if dryRun && readOnly { throw ValidationError("--dry-run and --read-only: give one") }
    }

    @ArgumentParser.Argument(help: ArgumentHelp("A script file and its arguments.", valueName: "script"))
    var arguments: [String] = []

    /// The bytes of the argument after `option`, as the process was given them.
    static func rawArgument(after option: String) -> [UInt8]? {
        let argv = CommandLine.unsafeArgv
        for i in stride(from: 1, to: Int(CommandLine.argc) - 1, by: 1) {
            guard let a = argv[i], strcmp(a, option) == 0, let value = argv[i + 1] else { continue }
            return Array(UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: strlen(value)))
        }
        return nil
    }

    /// Options that take a value as the next argument.
    static let valuedOptions: [String] = ["-c", "--output", "--sandbox", "--endpoint", "--rate", "--in-flight", "--api-key", "--profile", "--failed-items"]

    /// Splits the command line into tms's options and the script with its arguments: the
    /// first word that is not an option (or `--`) starts the script's part.
    static func split(_ arguments: [String]) -> (options: [String], script: [String]) {
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { return (Array(arguments[..<i]), Array(arguments[(i + 1)...])) }
            guard a.hasPrefix("-"), a != "-" else { break }
            i += valuedOptions.contains(a) ? 2 : 1
        }
        i = min(i, arguments.count)
        // --trace=full is a level of --trace (argument-parser has no option with an optional value).
        let options = arguments[..<i].map { $0 == "--trace=full" ? "--trace-full" : $0 == "--trace=on" ? "--trace" : $0 }
        return (options, Array(arguments[i...]))
    }

    func run() async throws {
        try await execute()
    }

    /// Runs the command; called from main so that the async path is taken.
    func execute() async throws {
        let terminal = Terminal()
        var settings = Interpreter.Settings()
        settings.outputFormat = output?.format ?? .table
        settings.color = terminal.stdoutIsTerminal && !noColor && terminal.environment["NO_COLOR"] == nil
        settings.width = terminal.width
        settings.environment = terminal.environment
        let errorColor = terminal.stderrIsTerminal && !noColor && terminal.environment["NO_COLOR"] == nil

        let out = OutputBuffer(fd: 1)
        let interpreter = Interpreter(settings: settings, output: out.write) { warning in
            out.flush()
            writeAll(2, DiagnosticRenderer(color: errorColor).render(warning))
        }
        let report = { (error: TMSError) in
            out.flush()
            writeAll(2, DiagnosticRenderer(color: errorColor).render(error.diagnostics))
            if settings.outputFormat == .json, !error.diagnostics.isEmpty {
                writeAll(2, JSON.record(Record([("error", .record(error.record))])).compactText + "\n")
            }
        }

        interpreter.register(WebhookListener.verb)
        interpreter.flush = out.flush
        let openedSandbox = OpenedSandbox()
        let status: Int32
        do {
            status = try await runMain(interpreter, terminal: terminal, opened: openedSandbox)
        } catch let error as TMSError {
            report(error)
            status = error.exitCode
        } catch let exit as ExitRequest {
            status = exit.code
        } catch is CancellationError {
            // Ctrl-C (Interrupt.runOnce): a bulk verb has reported what finished.
            report(Interrupt.error(afterRequests: interpreter.api?.requestsMade ?? 0))
            status = ExitCode.interrupted
        }
        out.flush()
        // Ctrl-C (not `exit 130`): tms ends as Ctrl-C ends a program, without the webhooks.
        if status == ExitCode.interrupted && Interrupt.stopped { Interrupt.end() }
        // Webhooks the built-in sandbox queued go out before tms exits (retries do not wait).
        await openedSandbox.value?.webhooks.drain(timeout: .seconds(5))
        if status == 0, let code = interpreter.api?.exitCode, code != 0 { throw ArgumentParser.ExitCode(code) }
        if status != 0 { throw ArgumentParser.ExitCode(status) }
    }

    /// Chooses the backend (the built-in sandbox, a server that speaks v2, or the live API)
    /// and gives the interpreter an API session on it, behind the write guard. Nothing is
    /// opened until the first request; `opened` gets the built-in sandbox when it is.
    func connect(_ interpreter: Interpreter, terminal: Terminal, opened: OpenedSandbox = OpenedSandbox()) throws -> APISession {
        let log: @Sendable (String) -> Void = { line in writeAll(2, line + "\n") }
        interpreter.carrierCodes = Set(Carriers.all.map(\.code))
        let config = try Configuration(command: self, environment: terminal.environment)
        let guardMode: GuardedTransport.Mode = dryRun ? .dryRun : config.readOnly ? .readOnly : .send
        var key = config.apiKey
        if apiKeyStdin {
            let line = String(decoding: try readAll(0), as: UTF8.self).split(separator: "\n").first.map(String.init)
            key = line?.trimmingBlanks()
        }
        // Every key in sight: `$env` masks them and the REPL's history keeps no entry holding one.
        interpreter.settings.secrets = [key, config.apiKey, terminal.environment["TRACKINGMORE_API_KEY"]].compactMap { $0 }
            .filter { !$0.trimmingBlanks().isEmpty }
        // A key that cannot go in a header is refused here, before any request, in words that
        // do not show it.
        if let key, config.backend != .sandbox, let problem = keyProblem(key) {
            throw TMSError(Diagnostic(code: "E0242", message: problem,
                help: "check where the key comes from with tms config explain; rewrite a key file with plain line ends"), exitCode: ExitCode.configuration)
        }
        // Someone at a terminal (the shell, or -c) is asked before a large delete; scripts never.
        if !yes, terminal.stdinIsTerminal, arguments.isEmpty {
            interpreter.confirm = { question in
                writeAll(2, question + " [y/N] ")
                let answer = readLine()?.trimmingBlanks().lowercased() ?? ""
                return answer == "y" || answer == "yes"
            }
        }
        let notSent = ExchangeLog()
        let describe: @Sendable (APIRequest, Endpoint) -> Void = { request, endpoint in notSent.append(.write(request, endpoint)) }
        let session: APISession
        switch config.backend {
        case .sandbox:
            let path = sandbox
            let settings = WebhookSettings(environment: terminal.environment)
            let paths = terminal.paths
            session = APISession(backend: .sandbox, notSent: notSent) {
                let sandbox = try Sandbox(path: try paths.database(path, default: "sandbox.sqlite"), webhooks: settings)
                opened.value = sandbox
                return GuardedTransport(InProcessTransport(sandbox: sandbox), mode: guardMode, described: describe)
            }
        case .live, .endpoint:
            let baseURL = config.backend.baseURL
            if config.backend.isLive, key == nil {
                throw TMSError(Diagnostic(code: "E0240", message: "the live API needs an API key",
                    help: "set TRACKINGMORE_API_KEY, give it on stdin with --api-key-stdin, or name it in a profile"), exitCode: ExitCode.configuration)
            }
            var rates: [Endpoint.RateClass: Double] = config.backend.isLive ? RateLimiter.liveRates : [:]
            if let rate = config.rate, let general = Endpoint.RateClass.general.liveRate {
                // Each class keeps its ratio to the general rate (realtime: 3 times).
                for c in Endpoint.RateClass.allCases { rates[c] = c.liveRate.map { rate * $0 / general } }
            }
            // Waiting is said on stderr even when it is not a terminal: a script in cron should show why it paused.
            let waiting = log
            let apiKey = key
            let shareKey = key ?? ""
            // The limit on one whole exchange: 90 s, or TMS_REQUEST_TIMEOUT seconds (1 to 3600).
            let timeout = terminal.environment["TMS_REQUEST_TIMEOUT"].flatMap { Int64($0) }.flatMap { (1...3600).contains($0) ? HTTPTransport.timeout(seconds: $0) : nil }
                ?? HTTPTransport.requestTimeout
            HTTPTransport.prepare(baseURL: baseURL)
            session = APISession(backend: config.backend, key: key, notSent: notSent) {
                GuardedTransport(
                    HTTPTransport(
                        baseURL: baseURL, apiKey: apiKey,
                        limiter: rates.isEmpty ? nil : RateLimiter.shared(baseURL: baseURL, apiKey: shareKey, rates: rates),
                        requestTimeout: timeout, onWait: waiting),
                    mode: guardMode, described: describe)
            }
        }
        session.failedItemsDirectory = failedItems
        // A sandbox in memory leaves nothing behind unless a folder for failed items is given.
        session.writesFailedItems = failedItems != nil || !(config.backend == .sandbox && sandbox == ":memory:")
        session.log = log
        session.inFlight = config.inFlight
        if terminal.stderrIsTerminal {
            session.progress = { line in writeAll(2, "\r\u{1B}[K" + line) }
        }
        session.trace = trace || traceFull
        session.traceFull = traceFull
        interpreter.api = session
        return session
    }

    func runMain(_ interpreter: Interpreter, terminal: Terminal, opened: OpenedSandbox) async throws -> Int32 {
        let session = try connect(interpreter, terminal: terminal, opened: opened)
        if let command {
            guard arguments.isEmpty else {
                throw TMSError(Diagnostic(code: "E0216", message: "-c runs one line; '\(arguments[0])' cannot follow it",
                    help: "quote the whole pipeline: tms -c 'list | count'"), exitCode: ExitCode.usage)
            }
            let input = terminal.stdinIsTerminal ? nil : Interpreter.data(try readAll(0), name: "stdin")
            // From argv's own bytes: Swift's String would have mended invalid UTF-8 silently,
            // and the parser refuses it with its diagnostic instead.
            let source = SourceFile(name: "<command line>", bytes: TMSCommand.rawArgument(after: "-c") ?? Array(command.utf8))
            return try await runScript(source, arguments: [], input: input, on: interpreter)
        }
        if let first = arguments.first {
            if first == "help" {
                let topic = arguments.dropFirst().map { " '" + $0.replacingAll("'", with: "") + "'" }.joined()
                try await interpreter.run("help\(topic)", name: "<command line>")
                return 0
            }
            let bytes: [UInt8]
            do {
                bytes = try readFile(first)
            } catch let e as TMSError {
                // `tms get ups 1Z...`: a verb, not a file.
                if interpreter.registry.lookup(first) != nil, access(first, F_OK) != 0 {
                    let line = arguments.joined(separator: " ").replacingAll("'", with: "'\\''")
                    throw TMSError(Diagnostic(
                        code: "E0285", message: "'\(first)' is a verb, not a script file",
                        help: "run one line with -c: tms -c '\(line)'"), exitCode: ExitCode.usage)
                }
                throw TMSError(e.diagnostics, exitCode: ExitCode.usage)
            }
            return try await runScript(SourceFile(name: first, bytes: bytes), arguments: Array(arguments.dropFirst()), input: nil, on: interpreter)
        }
        if terminal.stdinIsTerminal && terminal.stdoutIsTerminal {
            return try await shell(interpreter, session, terminal: terminal)
        }
        return try await runScript(SourceFile(name: "<stdin>", bytes: try readAll(0)), arguments: [], input: nil, on: interpreter)
    }

    /// Runs a one-liner or a script as the shell runs an entry: the first Ctrl-C cancels it
    /// (`Interrupt.runOnce`). Its exit code is 0; failures throw.
    func runScript(_ source: sending SourceFile, arguments: [String], input: sending PipelineValue?, on interpreter: Interpreter) async throws -> Int32 {
        try await Interrupt.runOnce(on: interpreter) { try await $0.run(script: source, arguments: arguments, input: input) }
        return 0
    }

    /// The interactive shell: the startup file, then the prompt until Ctrl-D.
    func shell(_ interpreter: Interpreter, _ session: APISession, terminal: Terminal) async throws -> Int32 {
        let env = terminal.environment
        // Each entry's output appears when it is made, not when a buffer fills.
        interpreter.output = { writeAll(1, $0) }
        let profileName = profile ?? env["TMS_PROFILE"] ?? "default"
        let isLive = session.backend.isLive
        // The prompt names the backend; live ones name the profile their history goes with.
        let prompt = "tms[" + (isLive ? "live:\(profileName)" : session.backend.label) + "]> "
        let paths = terminal.paths
        let historyPath: String? = (try? Paths.makeDirectories(paths.state)).map { _ in paths.history(profile: profileName) }
        let errorColor = terminal.stderrIsTerminal && !noColor && env["NO_COLOR"] == nil
        let render: (TMSError) -> Void = { error in
            writeAll(2, DiagnosticRenderer(color: errorColor).render(error.diagnostics))
        }
        guard let repl = REPL(
            interpreter: interpreter, prompt: prompt, promptColor: isLive && !noColor && env["NO_COLOR"] == nil ? "31" : nil,
            historyPath: historyPath,
            carrierCodes: Carriers.all.map(\.code), renderError: render,
            show: { text in Pager.show(text, pager: noPager ? nil : (env["PAGER"].flatMap { $0.isEmpty ? nil : $0 } ?? "less -FRX")) })
        else {
            throw TMSError(Diagnostic(code: "E0216", message: "the terminal could not be set up for line editing"), exitCode: ExitCode.usage)
        }
        // Ctrl-C in the startup file stops it, not the shell (the REPL's handler is installed).
        if !skipStartupFile, access(paths.startupFile, R_OK) == 0 { await repl.runStartupFile(paths.startupFile) }
        repl.learn = { arguments, editor in
            do {
                let learn = try LearnCommand.parse(arguments)
                _ = try await learn.run(command: self, console: LearnCommand.console(terminal: terminal, editor: editor), terminal: terminal)
            } catch let e as TMSError {
                render(e)
            } catch {
                writeAll(2, "error: " + LearnCommand.message(for: error) + "\n")
            }
        }
        if session.backend == .sandbox, let count = try? await interpreter.run("list limit=1 | count", name: "<welcome>", printResults: false), count == 0 {
            writeAll(1, """
                Welcome to tms: this is the built-in sandbox, a practice API on this machine, and it is empty.
                sandbox seed 50 fills it; help shows the map; learn starts the lessons; quit leaves.

                """)
        }
        return await repl.run()
    }
}

enum OutputFormatOption: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv

    var format: Interpreter.Settings.OutputFormat {
        Interpreter.Settings.OutputFormat(rawValue: rawValue) ?? .table
    }
}

/// The built-in sandbox of a run, set by the connect closure when the first request opens it.
final class OpenedSandbox: Sendable {
    private let box = Mutex<Sandbox?>(nil)
    var value: Sandbox? {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }
}

extension WebhookSettings {
    /// The built-in sandbox's settings: TMS_WEBHOOK_RETRY_BASE (seconds) shortens the retry
    /// schedule for tests, as tms serve --webhook-retry-base does.
    init(environment: [String: String]) {
        self.init()
        if let text = environment["TMS_WEBHOOK_RETRY_BASE"], let b = Double(text), b > 0, b <= 86400 {
            retryBase = .milliseconds(Int(b * 1000))
        }
    }
}
