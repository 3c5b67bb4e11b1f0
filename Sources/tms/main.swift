import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// swift-argument-parser exits 64 on a usage error; tms promises 2 (SHELL.md), so the
// command is parsed and its errors are reported here. Options come before the script; what
// follows the script belongs to it, `--help` included.
let (options, script) = TMSCommand.split(Array(CommandLine.arguments.dropFirst()))
do {
    var command = try TMSCommand.parse(options)
    command.arguments = script
    try await command.execute()
} catch {
    let code = TMSCommand.exitCode(for: error)
    if code == .success {
        writeAll(1, TMSCommand.fullMessage(for: error) + "\n")
        exit(0)
    }
    if let exitCode = error as? ArgumentParser.ExitCode {
        exit(exitCode.rawValue)
    }
    writeAll(2, "error: " + TMSCommand.message(for: error) + "\n" + TMSCommand.usageString() + "\n")
    exit(2)
}
