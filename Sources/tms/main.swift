import ArgumentParser
import CCrashReport
import CMallocConfig
import TMS
import TMSShell

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

tms_install_crash_report()

// The heap grows 32 MB at a time (in address space: a page costs memory only once written).
// By default glibc grows it by little more than each allocation lacks, and a thread's heap
// then takes an mprotect call every few pages: reading 10,000 records took hundreds of them.
// See docs/performance.md (the bulk row).
tms_malloc_top_pad(32 << 20)

// swift-argument-parser exits 64 on a usage error; tms promises 2 (SHELL.md), so the
// command is parsed and its errors are reported here. Options come before the script; what
// follows the script belongs to it, `--help` included.
let (options, script) = TMSCommand.split(Array(CommandLine.arguments.dropFirst()))
/// Reports a command-line error the way every tms command does: help and version on stdout
/// with 0, anything else on stderr with 2.
func fail<C: ParsableCommand>(_ command: C.Type, _ error: any Error) -> Never {
    if command.exitCode(for: error) == .success {
        writeAll(1, command.fullMessage(for: error) + "\n")
        exit(0)
    }
    if let exitCode = error as? ArgumentParser.ExitCode { exit(exitCode.rawValue) }
    writeAll(2, "error: " + command.message(for: error) + "\n")
    exit(2)
}

switch (options.isEmpty || script.first == "config" || script.first == "learn" ? script.first : nil) {
case "config":
    do {
        guard script.count == 2, script[1] == "explain" else {
            throw ValidationError("usage: tms [OPTIONS] config explain")
        }
        let command = try TMSCommand.parseOptions(options)
        writeAll(1, try Configuration(command: command, environment: Terminal().environment).explanation)
    } catch let error as TMSError {
        writeAll(2, DiagnosticRenderer().render(error.diagnostics))
        exit(error.exitCode)
    } catch {
        fail(TMSCommand.self, error)
    }
case "learn":
    // Options before `learn` choose the backend (--endpoint for a classroom), as for a script.
    let command: TMSCommand
    do { command = try TMSCommand.parseOptions(options) } catch { fail(TMSCommand.self, error) }
    do {
        let learn = try LearnCommand.parse(Array(script.dropFirst()))
        let terminal = Terminal()
        let editor = terminal.stdinIsTerminal && terminal.stdoutIsTerminal ? LineEditor(program: "tms") : nil
        exit(try await learn.run(command: command, console: LearnCommand.console(terminal: terminal, editor: editor), terminal: terminal))
    } catch let error as TMSError {
        writeAll(2, DiagnosticRenderer().render(error.diagnostics))
        exit(error.exitCode)
    } catch {
        fail(LearnCommand.self, error)
    }
case "serve":
    do {
        let serve = try ServeCommand.parse(Array(script.dropFirst()))
        try await serve.execute()
    } catch {
        fail(ServeCommand.self, error)
    }
case "class":
    do {
        var command = try ClassCommand.parseAsRoot(Array(script.dropFirst()))
        try command.run()
    } catch {
        fail(ClassCommand.self, error)
    }
case "listen":
    do {
        let listen = try ListenCommand.parse(Array(script.dropFirst()))
        try await listen.execute()
    } catch {
        fail(ListenCommand.self, error)
    }
case "openapi":
    do {
        try OpenAPICommand.parse(Array(script.dropFirst())).run()
    } catch {
        fail(OpenAPICommand.self, error)
    }
case "keys":
    do {
        var keys = try KeysCommand.parseAsRoot(Array(script.dropFirst()))
        try keys.run()
    } catch {
        fail(KeysCommand.self, error)
    }
default:
    do {
        var command = try TMSCommand.parseOptions(options)
        command.arguments = script
        try await command.execute()
    } catch {
        fail(TMSCommand.self, error)
    }
}
