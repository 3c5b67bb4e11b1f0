import ArgumentParser
import TMS
import TMSShell
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// `tms [OPTIONS] learn`: lessons on the API at the prompt, against a lesson sandbox of their
/// own (or, with `--endpoint`, the student's account on a classroom's `tms serve`).
struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Lessons on the TrackingMore API at the prompt, checked as you go.",
        discussion: """
            tms learn            the next lesson not done, then the ones after it
            tms learn 4          lesson 4, then the ones after it
            tms learn --list     every lesson with its state
            tms learn --reset    forget your progress

            The lessons run against a sandbox of their own, one per learner
            ($XDG_DATA_HOME/tms/lessons-LEARNER.sqlite), emptied and set up for each lesson with
            its clock at 2025-06-02 08:00 UTC. With --endpoint URL (a classroom's tms serve, the
            key in TRACKINGMORE_API_KEY) they run in your account there, and the server records
            the lessons you finish.
            """)

    @ArgumentParser.Argument(help: "The lesson to start at (its number in --list).")
    var lesson: Int?

    @Flag(help: "Print every lesson, one a line, with its state (new, started, done).")
    var list = false

    @Flag(help: "Forget the learner's progress.")
    var reset = false

    @Option(help: ArgumentHelp("A folder of lessons of your own (docs/tutorial/writing-lessons.md).", valueName: "dir"))
    var dir: String?

    @Option(help: ArgumentHelp("Whose progress this is (default: $USER).", valueName: "name"))
    var learner: String?

    func validate() throws {
        if list && reset { throw ValidationError("--list and --reset: give one") }
        if let lesson, lesson < 1 { throw ValidationError("lessons are numbered from 1") }
        if let learner, learner.isEmpty || learner.contains("/") || learner.hasPrefix(".") {
            throw ValidationError("--learner must be a plain name, without '/'")
        }
    }

    /// Runs lessons with the backend `command` chooses; the console reads and writes the
    /// learner's lines. Returns the exit code.
    func run(command: TMSCommand, console: LessonRunner.Console, terminal: Terminal) async throws -> Int32 {
        let backend = try Configuration(command: command, environment: terminal.environment).backend
        guard !backend.isLive else {
            throw ValidationError("lessons never use the live API: run tms learn on the lesson sandbox, or --endpoint a classroom's tms serve")
        }
        guard !command.apiKeyStdin else {
            throw ValidationError("tms learn reads your answers from stdin: give a classroom key in TRACKINGMORE_API_KEY or a profile")
        }
        let env = terminal.environment
        let paths = terminal.paths
        guard let folder = dir ?? paths.lessons else {
            throw ValidationError("cannot find the lessons that come with tms; give a folder with --dir or TMS_LESSONS")
        }
        let lessons: [Lesson]
        do { lessons = try Lesson.all(in: folder) } catch let e as LessonError { throw ValidationError(e.description) }
        try Paths.made(paths.state + "/learn")
        let set = folder.split(separator: "/").last.map(String.init) ?? "lessons"
        let name = learner ?? env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "learner"
        let progressPath = paths.lessonProgress(learner: name, lessons: set)
        if reset {
            // The file is removed unread, so a damaged one can be reset too.
            do { try LessonProgress.forget(progressPath) } catch let e as LessonError { throw ValidationError(e.description) }
            console.write("forgot the progress of \(name) in \(set)\n")
            return 0
        }
        let progress: LessonProgress
        do { progress = try LessonProgress(path: progressPath) } catch let e as LessonError { throw ValidationError(e.description) }

        // On the built-in sandbox the lessons have a database of their own, whatever --sandbox
        // says; against a server (a classroom) they use the student's account there.
        var command = command
        let classroom = backend != .sandbox
        if !classroom { command.sandbox = try paths.database(nil, default: "lessons-\(name).sqlite") }
        let work = try Paths.made(try paths.database(nil, default: "lesson-files-\(name)"))
        let settings = Interpreter.Settings()
        var runnerSettings = settings
        runnerSettings.width = terminal.width
        let made = command
        let runner = LessonRunner(lessons: lessons, progress: progress, workDirectory: work, console: console) {
            let interpreter = Interpreter(settings: runnerSettings)
            _ = try made.connect(interpreter, terminal: terminal)
            return interpreter
        }
        if list {
            console.write(runner.listing)
            return 0
        }
        runner.interruptible = terminal.stdinIsTerminal && terminal.stdoutIsTerminal
        if let lesson, lesson > lessons.count {
            throw ValidationError("there are \(lessons.count) lessons; tms learn --list shows them")
        }
        if classroom {
            runner.record = { lesson, state in
                await LearnCommand.report(lesson, state, command: made, terminal: terminal, console: console)
            }
        }
        return await runner.run(from: lesson.map { $0 - 1 } ?? runner.nextLesson)
    }

    /// Tells the classroom's server that a lesson started or is done (`POST /sandbox/lessons`).
    static func report(_ lesson: Lesson, _ state: LessonProgress.State, command: TMSCommand, terminal: Terminal, console: LessonRunner.Console) async {
        let interpreter = Interpreter()
        do {
            let transport = try command.connect(interpreter, terminal: terminal).openTransport()
            let body = JSON.record(Record([("lesson", .string(lesson.id)), ("title", .string(lesson.title)), ("state", .string(state.rawValue))]))
            let answer = try await transport.send(APIRequest(method: "POST", path: "/sandbox/lessons", body: Array(body.compactText.utf8)))
            if !answer.meta.isSuccess {
                console.write("warning: the classroom's server did not record the lesson: \(answer.meta.code) \(answer.meta.message)\n")
            }
        } catch {
            console.write("warning: the classroom's server did not record the lesson: \(error)\n")
        }
    }

    /// The learner's console on this process's stdin and stdout: the line editor on a
    /// terminal, plain lines otherwise (a script can take the lessons).
    static func console(terminal: Terminal, editor: LineEditor?) -> LessonRunner.Console {
        let color = terminal.stderrIsTerminal && terminal.environment["NO_COLOR"] == nil
        let read: (String) -> String?
        if let editor {
            read = { prompt in
                editor.setPrompt(prompt, color: nil)
                while true {
                    switch editor.read() {
                    case .line(let line):
                        editor.remember(line)
                        return line
                    case .interrupted: continue
                    case .end: return nil
                    }
                }
            }
        } else {
            read = { prompt in
                writeAll(1, prompt)
                guard let line = readLine(strippingNewline: true) else { return nil }
                writeAll(1, line + "\n")
                return line
            }
        }
        return LessonRunner.Console(
            read: read, write: { writeAll(1, $0) },
            renderError: { DiagnosticRenderer(color: color).render($0.diagnostics) })
    }
}
