import Synchronization
import TMS
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// Takes a learner through lessons at a prompt: explains, sets up the lesson sandbox, runs
/// what the learner types, shows the requests it made and the envelopes that came back, and
/// checks the sandbox's state or the value the learner produced (never the text typed).
/// A hint follows each wrong try; the lesson's answer follows the third.
public final class LessonRunner {
    /// Where the lesson reads lines and writes text: a terminal's line editor, or plain
    /// stdin and stdout.
    public struct Console {
        /// The next line typed after `prompt`; nil at the end of input (Ctrl-D).
        public var read: (_ prompt: String) -> String?
        public var write: (String) -> Void
        public var renderError: (TMSError) -> String

        public init(read: @escaping (String) -> String?, write: @escaping (String) -> Void, renderError: @escaping (TMSError) -> String) {
            self.read = read
            self.write = write
            self.renderError = renderError
        }
    }

    public enum Outcome: Equatable {
        case passed, skipped, quit
    }

    let lessons: [Lesson]
    public private(set) var progress: LessonProgress
    /// Makes an interpreter connected to the lesson sandbox (or the classroom's server).
    let makeInterpreter: () throws -> Interpreter
    let console: Console
    /// Where the lesson's files are made and relative paths resolve while it runs.
    let workDirectory: String
    /// Told when a lesson starts and when it is done: a classroom records it in the student's
    /// account.
    public var record: ((Lesson, LessonProgress.State) async -> Void)?
    /// At a terminal: Ctrl-C cancels the command running, as in the shell, instead of ending tms.
    public var interruptible = false
    let recorder = ExchangeRecorder()

    public init(
        lessons: [Lesson], progress: LessonProgress, workDirectory: String, console: Console,
        makeInterpreter: @escaping () throws -> Interpreter
    ) {
        self.lessons = lessons
        self.progress = progress
        self.workDirectory = workDirectory
        self.console = console
        self.makeInterpreter = makeInterpreter
    }

    /// The first lesson not done yet (from 0); the first one when all are done.
    public var nextLesson: Int {
        lessons.firstIndex { progress.state($0) != .done } ?? 0
    }

    /// One line per lesson: its number, state and title.
    public var listing: String {
        lessons.enumerated().map { i, lesson in
            let number = String(i + 1)
            let state = progress.state(lesson).rawValue
            return String(repeating: " ", count: max(0, 3 - number.count)) + number + "  "
                + state + String(repeating: " ", count: max(1, 9 - state.count)) + lesson.title + "\n"
        }.joined()
    }

    /// Runs the lessons from `start` (from 0) to the end, or until the learner quits.
    /// Returns the exit code: 0, or 1 when a lesson's own files are broken.
    public func run(from start: Int) async -> Int32 {
        if interruptible { Interrupt.install() }
        let previous = currentDirectory()
        defer { if let previous { _ = chdir(previous) } }
        guard chdir(workDirectory) == 0 else {
            console.write("error: cannot use the lesson folder \(workDirectory): \(String(cString: strerror(errno)))\n")
            return 1
        }
        var i = start
        while i < lessons.count {
            do {
                switch try await take(i) {
                case .passed, .skipped: i += 1
                case .quit:
                    console.write("\nYour progress is saved: tms learn goes on where you stopped.\n")
                    return 0
                }
            } catch let e as TMSError {
                console.write("error: lesson \(i + 1) (\(lessons[i].folder)) is broken:\n" + console.renderError(e))
                return 1
            } catch {
                console.write("error: lesson \(i + 1): \(error)\n")
                return 1
            }
        }
        console.write("\nThat was the last lesson. tms learn --list shows what you have done.\n")
        return 0
    }

    /// One lesson, until it passes, is skipped, or the learner quits.
    public func take(_ index: Int) async throws -> Outcome {
        let lesson = lessons[index]
        let number = index + 1
        console.write("\n== Lesson \(number) of \(lessons.count): \(lesson.title) ==\n\n\(lesson.explanation)\n\nTask: \(lesson.task)\n\n"
            + "(type a command; hint, answer, again, skip and quit steer the lesson)\n")
        try await setUp(lesson)
        try progress.set(lesson, .started)
        await record?(lesson, .started)
        var learner = try learnerInterpreter()
        var tries = 0
        var hintsShown = 0
        var buffer = ""
        var entry = 0
        while true {
            guard let line = console.read(buffer.isEmpty ? "learn \(number)> " : "...> ") else { return .quit }
            buffer += buffer.isEmpty ? line : "\n" + line
            let word = buffer.trimmingBlanks()
            switch word {
            case "":
                buffer = ""
                continue
            case "hint":
                buffer = ""
                showHint(lesson, &hintsShown)
                continue
            case "answer":
                buffer = ""
                console.write("One answer:\n" + indented(lesson.answer) + "\n")
                continue
            case "task":
                buffer = ""
                console.write("Task: \(lesson.task)\n")
                continue
            case "again":
                buffer = ""
                try await setUp(lesson)
                learner = try learnerInterpreter()
                tries = 0
                console.write("The lesson's sandbox is as it was at the start.\n")
                continue
            case "skip":
                return .skipped
            case "quit":
                return .quit
            default: break
            }
            entry += 1
            let source = SourceFile(name: "<lesson \(number) #\(entry)>", text: buffer)
            let (_, diagnostics) = learner.check(source)
            if Parser.isIncomplete(diagnostics) { continue }
            buffer = ""
            learner.define("last", .null)
            _ = recorder.drain()
            var failed = false
            let result: Result<Value, any Error>
            if interruptible {
                result = await Interrupt.run(source, on: learner)
            } else {
                do { result = .success(try await learner.run(source)) } catch { result = .failure(error) }
            }
            switch result {
            case .success: break
            case .failure(let e as TMSError):
                console.write(console.renderError(e))
                failed = true
            case .failure(is ExitRequest):
                return .quit
            case .failure(is CancellationError):
                console.write("\ninterrupted\n")
                continue
            case .failure(let error):
                console.write("error: \(error)\n")
                failed = true
            }
            showExchanges()
            let value = learner.variable("last") ?? .null
            let (passed, said) = try await check(lesson, value: value, defs: learner.definitionNames.sorted())
            if passed {
                console.write("\n✓ Done.\(lesson.done.isEmpty ? "" : " " + lesson.done)\n")
                try progress.set(lesson, .done)
                await record?(lesson, .done)
                return .passed
            }
            // A step that answers nothing (a def, a let, explain) is not a wrong try.
            if value.isNull && !failed && said.isEmpty { continue }
            tries += 1
            console.write("\nNot yet.\(said.isEmpty ? "" : " " + said.trimmingBlankLines())\n")
            if tries >= 3 {
                console.write("After three tries, here is one answer (type it, or write your own):\n" + indented(lesson.answer) + "\n")
            } else {
                showHint(lesson, &hintsShown)
            }
        }
    }

    func showHint(_ lesson: Lesson, _ shown: inout Int) {
        guard !lesson.hints.isEmpty else {
            console.write("This lesson has no hints; type answer to see one answer.\n")
            return
        }
        console.write("Hint: " + lesson.hints[min(shown, lesson.hints.count - 1)] + "\n")
        shown += 1
    }

    func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    /// The learner's interpreter: each printed value is kept in `$last`, every exchange is
    /// recorded to be shown.
    func learnerInterpreter() throws -> Interpreter {
        let interpreter = try makeInterpreter()
        interpreter.keepsLast = true
        interpreter.output = { [console] in console.write($0) }
        let recorder = self.recorder
        interpreter.api = interpreter.api?.wrapping { RecordingTransport(base: $0, recorder: recorder) }
        return interpreter
    }

    /// Empties the work folder and the sandbox (no trackings, its clock back at the start, no
    /// rate limits), then runs the lesson's setup.
    func setUp(_ lesson: Lesson) async throws {
        emptyWorkDirectory()
        let interpreter = try makeInterpreter()
        interpreter.output = { _ in }
        try await interpreter.run("sandbox reset\nsandbox limits off", name: "<setup of \(lesson.id)>", printResults: false)
        if !lesson.setup.isEmpty {
            try await interpreter.run(lesson.setup, name: "<setup of \(lesson.id)>", printResults: false)
        }
    }

    /// Runs the lesson's check with `$result` and `$defs`: passed when its last value is
    /// true. What it prints is said to the learner. A check that does not parse is the
    /// lesson's fault and is thrown; one that fails while running has simply not passed.
    func check(_ lesson: Lesson, value: Value, defs: [String]) async throws -> (Bool, String) {
        let interpreter = try makeInterpreter()
        var said = ""
        interpreter.output = { said += $0 }
        interpreter.define("result", value)
        interpreter.define("defs", .list(defs.map { .string($0) }))
        let source = SourceFile(name: "<check of \(lesson.id)>", text: lesson.check)
        let (_, diagnostics) = interpreter.check(source)
        if !diagnostics.isEmpty { throw TMSError(diagnostics, exitCode: ExitCode.usage) }
        do {
            let verdict = try await interpreter.run(source, printResults: false)
            return (verdict == .bool(true), said)
        } catch is TMSError {
            return (false, said)
        }
    }

    /// Each request the learner's command made, and the envelope that came back, shortened.
    func showExchanges() {
        for (request, envelope) in recorder.drain() {
            var line = "  → \(request.method) /v2\(request.path)\(request.queryString)"
            if let body = request.body { line += " " + shortened(String(decoding: body, as: UTF8.self), 160) }
            console.write(line + "\n")
            console.write("  ← " + shortened(envelope.json.compactText, 160) + "\n")
        }
    }

    func shortened(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    func emptyWorkDirectory() {
        guard let dir = opendir(workDirectory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != "..", entry.pointee.d_type == DT_REG { unlink(workDirectory + "/" + name) }
        }
    }

    func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// The exchanges of the learner's last command, in order.
final class ExchangeRecorder: Sendable {
    private let exchanges = Mutex<[(APIRequest, Envelope)]>([])

    func append(_ request: APIRequest, _ envelope: Envelope) {
        exchanges.withLock { $0.append((request, envelope)) }
    }

    func drain() -> [(APIRequest, Envelope)] {
        exchanges.withLock { all in
            defer { all.removeAll() }
            return all
        }
    }
}

/// Passes requests on and records each with its answer.
struct RecordingTransport: Transport {
    let base: any Transport
    let recorder: ExchangeRecorder

    func send(_ request: APIRequest) async throws -> Envelope {
        let envelope = try await base.send(request)
        recorder.append(request, envelope)
        return envelope
    }
}
