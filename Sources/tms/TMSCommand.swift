import ArgumentParser
import TMS
import TrackingMore
import TrackingMoreSandbox

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
            tms FILE.tms [ARGS...]   run a script (FILE.tms --help shows its parameters)
            tms -c 'PIPELINE'        run one line; piped stdin is data ($in): JSON, JSON lines or CSV
            tms < FILE.tms           read a script from stdin
            tms help [VERB]          the verbs, or one verb

            Exit codes: 0 success, 1 runtime error, 2 usage or parse error (nothing ran).
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

    @ArgumentParser.Argument(help: ArgumentHelp("A script file and its arguments.", valueName: "script"))
    var arguments: [String] = []

    /// Options that take a value as the next argument.
    static let valuedOptions: Set<String> = ["-c", "--output", "--sandbox"]

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
        return (Array(arguments[..<i]), Array(arguments[i...]))
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
        let sandboxPath = sandbox
        interpreter.backendIsSandbox = true
        interpreter.connect = {
            InProcessTransport(sandbox: try Sandbox(path: try DataPaths.database(sandboxPath, default: "sandbox.sqlite")))
        }
        let report = { (error: TMSError) in
            out.flush()
            writeAll(2, DiagnosticRenderer(color: errorColor).render(error.diagnostics))
            if settings.outputFormat == .json, let d = error.diagnostics.first {
                writeAll(2, errorJSON(d, exitCode: error.exitCode).compactText + "\n")
            }
        }

        let status: Int32
        do {
            status = try await runMain(interpreter, terminal: terminal)
        } catch let error as TMSError {
            report(error)
            status = error.exitCode
        } catch let exit as ExitRequest {
            status = exit.code
        } catch is CancellationError {
            status = ExitCode.interrupted
        }
        out.flush()
        if status == 0 && interpreter.hadBulkFailures { throw ArgumentParser.ExitCode(ExitCode.bulkPartial) }
        if status != 0 { throw ArgumentParser.ExitCode(status) }
    }

    func runMain(_ interpreter: Interpreter, terminal: Terminal) async throws -> Int32 {
        if let command {
            guard arguments.isEmpty else {
                throw TMSError(Diagnostic(code: "E0216", message: "-c runs one line; '\(arguments[0])' cannot follow it",
                    help: "quote the whole pipeline: tms -c 'list | count'"), exitCode: ExitCode.usage)
            }
            let input = terminal.stdinIsTerminal ? nil : Interpreter.data(try readAll(0), name: "stdin")
            let source = SourceFile(name: "<command line>", text: command)
            try await run(interpreter, source, arguments: [], input: input)
            return 0
        }
        if let first = arguments.first {
            if first == "help" {
                let topic = arguments.dropFirst().first.map { " " + $0 } ?? ""
                try await interpreter.run("help\(topic)", name: "<command line>")
                return 0
            }
            guard let bytes = try? readFile(first) else {
                throw TMSError(Diagnostic(code: "E0216", message: "cannot read script '\(first)': \(String(cString: strerror(errno)))"),
                    exitCode: ExitCode.usage)
            }
            let source = SourceFile(name: first, bytes: bytes)
            try await run(interpreter, source, arguments: Array(arguments.dropFirst()), input: nil)
            return 0
        }
        if terminal.stdinIsTerminal {
            throw TMSError(Diagnostic(code: "E0216", message: "no script given",
                notes: ["the interactive shell is not part of this build yet"],
                help: "run a script: tms FILE.tms, or one line: tms -c 'help'"), exitCode: ExitCode.usage)
        }
        let source = SourceFile(name: "<stdin>", bytes: try readAll(0))
        try await run(interpreter, source, arguments: [], input: nil)
        return 0
    }

    func run(_ interpreter: Interpreter, _ source: SourceFile, arguments: [String], input: PipelineValue?) async throws {
        let (script, diagnostics) = interpreter.check(source)
        if arguments.contains("--help") || arguments.contains("-h") {
            if diagnostics.isEmpty || script.params != nil {
                interpreter.output(Interpreter.scriptHelp(script))
                return
            }
        }
        if !diagnostics.isEmpty { throw TMSError(diagnostics, exitCode: ExitCode.usage) }
        try await interpreter.bindArguments(arguments, to: script)
        try await interpreter.run(checked: script, input: input)
    }

    func errorJSON(_ d: Diagnostic, exitCode: Int32) -> JSON {
        var r = Record([("code", .string(d.code)), ("message", .string(d.message))])
        if let span = d.primary?.span {
            let (line, column) = span.file.location(of: span.start)
            r["file"] = .string(span.file.name)
            r["line"] = .int(line)
            r["column"] = .int(column)
        }
        if let help = d.help { r["help"] = .string(help) }
        r["exit_code"] = .int(Int(exitCode))
        return .record(Record([("error", .record(r))]))
    }
}

enum OutputFormatOption: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl, csv

    var format: Interpreter.Settings.OutputFormat {
        Interpreter.Settings.OutputFormat(rawValue: rawValue) ?? .table
    }
}
