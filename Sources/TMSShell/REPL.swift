import Synchronization
import TMS
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// The interactive shell: reads entries with a `LineEditor` (continuing while the parser says
/// the input ended too soon), runs them, prints errors named `<repl #N>` and goes on.
public final class REPL {
    let interpreter: Interpreter
    let editor: LineEditor
    let prompt: String
    /// The prompt's colour: red for the live API.
    let promptColor: String?
    let historyPath: String?
    let carrierCodes: [String]
    let renderError: (TMSError) -> Void
    /// Shows an entry's output: through the pager when it is taller than the terminal.
    let show: (String) -> Void
    /// Runs `learn [ARGS]` typed at the prompt: the lessons take over the line editor.
    public var learn: ((_ arguments: [String], _ editor: LineEditor) async -> Void)?

    public init?(
        interpreter: Interpreter, prompt: String, promptColor: String? = nil, historyPath: String?, carrierCodes: [String],
        renderError: @escaping (TMSError) -> Void, show: @escaping (String) -> Void
    ) {
        guard let editor = LineEditor(program: "tms") else { return nil }
        self.interpreter = interpreter
        self.editor = editor
        self.prompt = prompt
        self.promptColor = promptColor
        self.historyPath = historyPath
        editor.secrets = interpreter.settings.secrets
        self.carrierCodes = carrierCodes
        self.renderError = renderError
        self.show = show
        interpreter.keepsLast = true
        Interrupt.install()
        if let historyPath { editor.loadHistory(historyPath) }
        editor.complete = { [unowned self] before in Completion(repl: self).candidates(before) }
    }

    /// Runs until Ctrl-D on an empty line; returns the exit code (0).
    public func run() async -> Int32 {
        var entry = 1
        var buffer = ""
        while true {
            editor.setPrompt(buffer.isEmpty ? prompt : REPL.continuationPrompt, color: promptColor)
            switch editor.read() {
            case .end:
                if buffer.isEmpty {
                    save()
                    return 0
                }
                buffer = ""
                continue
            case .interrupted:
                buffer = ""
                continue
            case .line(let line):
                buffer += buffer.isEmpty ? line : "\n" + line
            }
            guard !buffer.allSatisfy({ $0 == " " || $0 == "\t" }) else {
                buffer = ""
                continue
            }
            // `quit` and `exit` leave, as in psql and most shells.
            if ["quit", "exit", "quit;", "exit;"].contains(buffer.trimmingBlanks()) {
                save()
                return 0
            }
            let words = buffer.split(separator: " ").map(String.init)
            if let learn, words.first == "learn" {
                editor.remember(buffer)
                buffer = ""
                await learn(Array(words.dropFirst()), editor)
                continue
            }
            let source = SourceFile(name: "<repl #\(entry)>", text: buffer)
            let (_, diagnostics) = interpreter.check(source)
            if Parser.isIncomplete(diagnostics) { continue }
            editor.remember(buffer)
            buffer = ""
            entry += 1
            await runEntry(source)
        }
    }

    /// Runs one entry; Ctrl-C (SIGINT, while a command runs) cancels it and the session goes on.
    func runEntry(_ source: SourceFile) async {
        // An entry's output is gathered and shown when it is done, so that a long one can go
        // through the pager (as psql does).
        let gathered = Gathered()
        let output = interpreter.output
        interpreter.output = { gathered.append($0) }
        defer {
            interpreter.output = output
            show(gathered.text)
        }
        let requestsBefore = interpreter.api?.requestsMade ?? 0
        report(await Interrupt.run(source, on: interpreter), requestsBefore: requestsBefore, of: " of this entry")
    }

    /// Runs the startup file (`init.tms`) before the first prompt, as an entry runs: Ctrl-C
    /// stops it and the shell goes on to its prompt, an error is shown and the shell goes on.
    public func runStartupFile(_ path: String) async {
        let requestsBefore = interpreter.api?.requestsMade ?? 0
        let result = await Interrupt.run(on: interpreter) { try await $0.run(file: path) }
        report(result, requestsBefore: requestsBefore, of: " of the startup file \(path)")
    }

    /// Shows how an entry ended: its error, or after Ctrl-C how many requests it had made.
    func report<T>(_ result: Result<T, any Error>, requestsBefore: Int, of what: String) {
        switch result {
        case .success: break
        case .failure(let error as TMSError) where error.exitCode == ExitCode.interrupted:
            // The terminal echoed ^C with no newline: the message starts on a line of its own.
            endInterruptedLine()
            renderError(error)
        case .failure(let error as TMSError): renderError(error)
        case .failure(is CancellationError):
            endInterruptedLine()
            let made = (interpreter.api?.requestsMade ?? 0) - requestsBefore
            renderError(Interrupt.error(afterRequests: made, of: what))
        case .failure(let error as ExitRequest):
            save()
            exit(error.code)
        case .failure(let error):
            renderError(TMSError(Diagnostic(code: "E0299", message: "\(error)")))
        }
    }

    /// After Ctrl-C the terminal shows ^C with no newline; what follows starts a line.
    func endInterruptedLine() {
        _ = write(2, "\n", 1)
    }

    /// The prompt of an entry's further lines says how to leave them.
    static let continuationPrompt = "...(Ctrl-C abandons)> "

    func save() {
        if let historyPath { editor.saveHistory(historyPath) }
    }
}

/// Ctrl-C while a command runs: the shell's entries, and `tms -c` or a script (`runOnce`).
/// A signal handler can only reach process-wide state, so this flag is the one global it sets,
/// read and reset by whoever runs the command.
public enum Interrupt {
    static let raised = Atomic<Bool>(false)

    /// The shell's: each Ctrl-C cancels the entry running, none ends the program.
    static func install() {
        signal(SIGINT) { _ in Interrupt.raised.store(true, ordering: .relaxed) }
    }

    /// Seconds a one-liner or a script has, after the Ctrl-C that cancelled it, to report and
    /// end; then it is ended as a second Ctrl-C ends it.
    static let graceSeconds: UInt32 = 3

    /// Runs `source` on `interpreter`; Ctrl-C meanwhile cancels it (a `CancellationError`).
    static func run(_ source: SourceFile, on interpreter: Interpreter) async -> Result<Value, any Error> {
        await run(on: interpreter) { try await $0.run(source) }
    }

    /// Runs `body` on `interpreter` in a task of its own, which a Ctrl-C (the flag) cancels,
    /// after `noticed` is called.
    static func run<T: Sendable>(
        on interpreter: Interpreter, noticed: @escaping @Sendable () -> Void = {}, _ body: sending @escaping (Interpreter) async throws -> T
    ) async -> Result<T, any Error> {
        let box = InterpreterBox(interpreter)
        raised.store(false, ordering: .relaxed)
        let task = Task { try await body(box.interpreter) }
        let watcher = Task {
            while !Task.isCancelled {
                if raised.load(ordering: .relaxed) {
                    noticed()
                    task.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { watcher.cancel() }
        return await task.result
    }

    /// Runs a one-liner or a script (`body`) the way the shell runs an entry: the first Ctrl-C
    /// cancels it, so a bulk verb reports what finished and writes its failed-items file. After
    /// a Ctrl-C this throws `CancellationError`, or the run's own error with exit code 130.
    /// A second Ctrl-C, or `body` still running `graceSeconds` after the first, ends the
    /// program at once, killed by SIGINT as it is without this (a shell user's Ctrl-C always
    /// works). Where SIGINT is ignored (a script's background job) it stays ignored.
    public static func runOnce(on interpreter: Interpreter, _ body: sending @escaping (Interpreter) async throws -> Void) async throws {
        raised.store(false, ordering: .relaxed)
        // After the grace, SIGALRM ends the program as the second Ctrl-C does.
        signal(SIGALRM) { _ in
            signal(SIGINT, SIG_DFL)
            raise(SIGINT)
        }
        let previous = signal(SIGINT) { _ in
            Interrupt.raised.store(true, ordering: .relaxed)
            signal(SIGINT, SIG_DFL)
            alarm(Interrupt.graceSeconds)
        }
        if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { signal(SIGINT, SIG_IGN) }
        // A terminal echoed ^C with no newline: the report starts a line of its own.
        let result = await run(on: interpreter, noticed: { if isatty(2) == 1 { _ = write(2, "\n", 1) } }, body)
        guard raised.load(ordering: .relaxed) else {
            // Ctrl-C from now on ends the program at once, as before the run.
            signal(SIGINT, previous)
            return try result.get()
        }
        if case .failure(var error as TMSError) = result {
            error.exitCode = ExitCode.interrupted
            throw error
        }
        throw CancellationError()
    }

    /// Whether Ctrl-C stopped the last `runOnce`.
    public static var stopped: Bool { raised.load(ordering: .relaxed) }

    /// Ends the program as Ctrl-C ends one without a handler, killed by SIGINT: a shell shows
    /// exit status 130, and a shell script that ran tms stops too (after a plain `exit(130)`
    /// bash takes the Ctrl-C as handled, and its loop goes on).
    public static func end() -> Never {
        signal(SIGINT, SIG_DFL)
        // Swift's worker threads block signals: this one takes SIGINT before raising it.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(SIGINT)
        exit(ExitCode.interrupted)
    }

    /// What the shell and a one-liner say after Ctrl-C cancelled them.
    public static func error(afterRequests made: Int, of what: String = "") -> TMSError {
        TMSError(Diagnostic(code: "E0270", message: "interrupted after \(made) API request\(made == 1 ? "" : "s")\(what)"), exitCode: ExitCode.interrupted)
    }
}

/// An entry's output, gathered while it runs (from the entry's task, one writer at a time).
final class Gathered: @unchecked Sendable {
    // Written only by the task running the entry, read after it ends.
    var text = ""
    func append(_ s: String) { text += s }
}

/// Carries the interpreter into the task that runs one entry. Safe: the REPL waits for that
/// task before it touches the interpreter again, so one task uses it at a time.
final class InterpreterBox: @unchecked Sendable {
    let interpreter: Interpreter
    init(_ interpreter: Interpreter) { self.interpreter = interpreter }
}
