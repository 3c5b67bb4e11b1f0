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

    /// The options, in the order of `spellings`. Plain arrays, not a Dictionary or a Set:
    /// the first of those in a process looks up its key type's conformances in the binary's
    /// records, which is measurable at this size.
    private enum Name: Int, CaseIterable {
        case command, output, sandbox, profile, endpoint, apiKey, rate, inFlight, failedItems
        case noColor, live, apiKeyStdin, dryRun, readOnly, trace, traceFull, yes, skipStartupFile, noPager

        /// The name as ArgumentParser derives it from the property.
        var spelling: String {
            switch self {
            case .command: "-c"
            case .output: "--output"
            case .sandbox: "--sandbox"
            case .profile: "--profile"
            case .endpoint: "--endpoint"
            case .apiKey: "--api-key"
            case .rate: "--rate"
            case .inFlight: "--in-flight"
            case .failedItems: "--failed-items"
            case .noColor: "--no-color"
            case .live: "--live"
            case .apiKeyStdin: "--api-key-stdin"
            case .dryRun: "--dry-run"
            case .readOnly: "--read-only"
            case .trace: "--trace"
            case .traceFull: "--trace-full"
            case .yes: "--yes"
            case .skipStartupFile: "-X"
            case .noPager: "--no-pager"
            }
        }
    }

    /// Each option's name, indexed by `Name.rawValue`.
    private static let spellings = Name.allCases.map(\.spelling)

    /// The command, validated; nil when ArgumentParser should parse these options instead.
    static func fastParse(_ options: [String]) throws -> TMSCommand? {
        // Each option's value ("" for a flag given), by `Name`.
        var given = [String?](repeating: nil, count: spellings.count)
        var i = 0
        while i < options.count {
            guard let index = spellings.firstIndex(of: options[i]), given[index] == nil else { return nil }
            if valuedOptions.contains(options[i]) {
                guard i + 1 < options.count, let value = options[i + 1].utf8.first, value != UInt8(ascii: "-") else { return nil }
                given[index] = options[i + 1]
                i += 2
            } else {
                given[index] = ""
                i += 1
            }
        }
        func value(_ name: Name) -> String? { given[name.rawValue] }
        func flag(_ name: Name) -> Bool { given[name.rawValue] != nil }
        var output: OutputFormatOption?
        if let text = value(.output) {
            guard let format = OutputFormatOption(rawValue: text) else { return nil }
            output = format
        }
        var rate: Double?
        if let text = value(.rate) {
            guard let number = Double(text) else { return nil }
            rate = number
        }
        var inFlight: Int?
        if let text = value(.inFlight) {
            guard let number = Int(text) else { return nil }
            inFlight = number
        }
        // Every property is set: a property left at its declaration would stop the program
        // when read (ArgumentParser's wrappers hold a definition until parsed or set), so
        // Tests/cli.sh checks that each option of TMSCommand is set here.
        var c = TMSCommand()
        c.command = value(.command)
        c.output = output
        c.noColor = flag(.noColor)
        c.sandbox = value(.sandbox)
        c.profile = value(.profile)
        c.live = flag(.live)
        c.endpoint = value(.endpoint)
        c.apiKeyStdin = flag(.apiKeyStdin)
        c.apiKey = value(.apiKey)
        c.rate = rate
        c.inFlight = inFlight
        c.dryRun = flag(.dryRun)
        c.readOnly = flag(.readOnly)
        c.trace = flag(.trace)
        c.traceFull = flag(.traceFull)
        c.failedItems = value(.failedItems)
        c.yes = flag(.yes)
        c.skipStartupFile = flag(.skipStartupFile)
        c.noPager = flag(.noPager)
        c.arguments = []
        try c.validate()
        return c
    }
}
