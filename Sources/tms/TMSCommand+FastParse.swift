import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The common command lines (`-c LINE`, a script file, the shell, with the usual options)
/// without swift-argument-parser: its `parse` reflects on the command (`Mirror`, protocol
/// conformance look-ups) and was most of `tms -c 1`'s start-up (docs/performance.md).
/// Anything this does not recognise exactly (`--help`, `--version`, `--opt=value`, a repeated
/// option, a missing or dash-led value, a value the option's type refuses) goes to
/// ArgumentParser, which gives its own message; so both paths give the same command or the
/// same error. `TMS_ARGUMENT_PARSER=full` always takes ArgumentParser's path: Tests/cli.sh
/// runs both and compares them.
extension TMSCommand {
    /// Parses tms's options (the part before the script, as `split` cut it).
    static func parseOptions(_ options: [String]) throws -> TMSCommand {
        if getenv("TMS_ARGUMENT_PARSER").map({ String(cString: $0) == "full" }) != true, let command = try fastParse(options) {
            return command
        }
        return try parse(options)
    }

    /// The options' names, each as ArgumentParser derives it from the property.
    private enum Name: String {
        case command = "-c", output = "--output", sandbox = "--sandbox", profile = "--profile", endpoint = "--endpoint",
            apiKey = "--api-key", rate = "--rate", inFlight = "--in-flight", failedItems = "--failed-items"
        case noColor = "--no-color", live = "--live", apiKeyStdin = "--api-key-stdin", dryRun = "--dry-run",
            readOnly = "--read-only", trace = "--trace", traceFull = "--trace-full", yes = "--yes",
            skipStartupFile = "-X", noPager = "--no-pager"
    }

    /// The command, validated; nil when ArgumentParser should parse these options instead.
    static func fastParse(_ options: [String]) throws -> TMSCommand? {
        var values: [Name: String] = [:]
        var flags: Set<Name> = []
        var i = 0
        while i < options.count {
            guard let name = Name(rawValue: options[i]), !flags.contains(name), values[name] == nil else { return nil }
            if valuedOptions.contains(name.rawValue) {
                guard i + 1 < options.count, let value = options[i + 1].utf8.first, value != UInt8(ascii: "-") else { return nil }
                values[name] = options[i + 1]
                i += 2
            } else {
                flags.insert(name)
                i += 1
            }
        }
        var output: OutputFormatOption?
        if let text = values[.output] {
            guard let format = OutputFormatOption(rawValue: text) else { return nil }
            output = format
        }
        var rate: Double?
        if let text = values[.rate] {
            guard let number = Double(text) else { return nil }
            rate = number
        }
        var inFlight: Int?
        if let text = values[.inFlight] {
            guard let number = Int(text) else { return nil }
            inFlight = number
        }
        // Every property is set: a property left at its declaration would stop the program
        // when read (ArgumentParser's wrappers hold a definition until parsed or set), so
        // Tests/cli.sh checks that each option of TMSCommand is set here.
        var c = TMSCommand()
        c.command = values[.command]
        c.output = output
        c.noColor = flags.contains(.noColor)
        c.sandbox = values[.sandbox]
        c.profile = values[.profile]
        c.live = flags.contains(.live)
        c.endpoint = values[.endpoint]
        c.apiKeyStdin = flags.contains(.apiKeyStdin)
        c.apiKey = values[.apiKey]
        c.rate = rate
        c.inFlight = inFlight
        c.dryRun = flags.contains(.dryRun)
        c.readOnly = flags.contains(.readOnly)
        c.trace = flags.contains(.trace)
        c.traceFull = flags.contains(.traceFull)
        c.failedItems = values[.failedItems]
        c.yes = flags.contains(.yes)
        c.skipStartupFile = flags.contains(.skipStartupFile)
        c.noPager = flags.contains(.noPager)
        c.arguments = []
        try c.validate()
        return c
    }
}
