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
        switch await Interrupt.run(source, on: interpreter) {
        case .success: break
        case .failure(let error as TMSError): renderError(error)
        case .failure(let error as TMSError) where error.exitCode == ExitCode.interrupted:
            // The terminal echoed ^C with no newline: the message starts on a line of its own.
            endInterruptedLine()
            renderError(error)
        case .failure(is CancellationError):
            endInterruptedLine()
            let made = (interpreter.api?.requestsMade ?? 0) - requestsBefore
            renderError(TMSError(Diagnostic(code: "E0270", message: "interrupted after \(made) API request\(made == 1 ? "" : "s") of this entry"), exitCode: ExitCode.interrupted))
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

/// Ctrl-C while a command runs. A signal handler can only reach process-wide state, so this
/// flag is the REPL's one global: set by the handler, read and reset by the REPL's loop.
enum Interrupt {
    static let raised = Atomic<Bool>(false)

    static func install() {
        signal(SIGINT) { _ in Interrupt.raised.store(true, ordering: .relaxed) }
    }

    /// Runs `source` on `interpreter`; Ctrl-C meanwhile cancels it (a `CancellationError`).
    static func run(_ source: SourceFile, on interpreter: Interpreter) async -> Result<Value, any Error> {
        let box = InterpreterBox(interpreter)
        raised.store(false, ordering: .relaxed)
        let task = Task { try await box.interpreter.run(source) }
        let watcher = Task {
            while !Task.isCancelled {
                if raised.load(ordering: .relaxed) {
                    task.cancel()
                    return
                }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { watcher.cancel() }
        return await task.result
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
