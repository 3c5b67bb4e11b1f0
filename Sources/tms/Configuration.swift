import TMS
import TOMLKit
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// tms's settings and where each came from: a flag, the environment, a profile of
/// `$XDG_CONFIG_HOME/tms/config.toml`, or the default. `tms config explain` prints them.
struct Configuration {
    struct Setting {
        var name: String
        var value: String
        var source: String
    }

    var backend = Backend.sandbox
    var profile: String?
    var apiKey: String?
    var rate: Double?
    var readOnly = false
    /// How many requests a bulk call keeps in flight.
    var inFlight = APISession.defaultInFlight
    var settings: [Setting] = []
    let path: String

    /// Reads the config file (if there is one) and the environment, then the flags on top.
    ///
    /// - Throws: `TMSError` with exit code 4 for a file that is not TOML, an unknown profile or
    ///   setting, or a key in a file others can read.
    init(command: TMSCommand, environment env: [String: String]) throws {
        path = Paths(environment: env).configFile
        var fileProfile = Record()
        let wanted = command.profile ?? env["TMS_PROFILE"]
        if access(path, F_OK) == 0 {
            let profiles = try Configuration.profiles(path)
            let name = wanted ?? (profiles["default"] != nil ? "default" : nil)
            if let name {
                guard let p = profiles[name]?.recordValue else {
                    throw Configuration.error("no profile '\(name)' in \(path)", help: Diagnostic.closest(name, profiles.keys).map { "did you mean '\($0)'?" } ?? "profiles are [profile.NAME] tables")
                }
                profile = name
                fileProfile = p
            }
        } else if let wanted {
            throw Configuration.error("no profile '\(wanted)': \(path) does not exist", help: "create it with a [profile.\(wanted)] table")
        }
        let source = profile.map { "profile \($0) in \(path)" } ?? path
        if command.profile != nil { settings.append(Setting(name: "profile", value: profile ?? "", source: "--profile")) }
        else if let profile { settings.append(Setting(name: "profile", value: profile, source: env["TMS_PROFILE"] != nil ? "TMS_PROFILE" : "default profile in \(path)")) }

        for key in fileProfile.keys where !["backend", "api_key", "api_key_env", "rate", "in_flight", "read_only"].contains(key) {
            throw Configuration.error("unknown setting '\(key)' in \(source)", help: "the settings are backend, api_key_env, api_key, rate, in_flight, read_only")
        }

        // Backend: flag, then profile, then the built-in sandbox.
        var backendSource = "default"
        if let b = fileProfile["backend"]?.stringValue {
            backend = b == "sandbox" ? .sandbox : b == "live" ? .live(profile: profile) : .endpoint(b)
            guard b == "sandbox" || b == "live" || b.hasPrefix("http://") || b.hasPrefix("https://") else {
                throw Configuration.error("backend '\(b)' in \(source) is not sandbox, live or an http(s) URL")
            }
            backendSource = source
        }
        if command.live { (backend, backendSource) = (.live(profile: profile), "--live") }
        if let url = command.endpoint { (backend, backendSource) = (.endpoint(url), "--endpoint") }
        if command.sandbox != nil { (backend, backendSource) = (.sandbox, "--sandbox") }
        let backendText: String
        switch backend {
        case .sandbox: backendText = "sandbox (\(command.sandbox ?? "$XDG_DATA_HOME/tms/sandbox.sqlite"))"
        case .live: backendText = "live (\(Catalog.liveBaseURL))"
        case .endpoint(let u): backendText = u
        }
        settings.append(Setting(name: "backend", value: backendText, source: backendSource))

        // The key: stdin, then the environment, then the profile.
        if let k = fileProfile["api_key"]?.stringValue {
            try Configuration.checkPrivate(path)
            apiKey = k
            settings.append(Setting(name: "api_key", value: maskKey(k), source: source))
        }
        if let name = fileProfile["api_key_env"]?.stringValue, let k = env[name], !k.isEmpty {
            apiKey = k
            settings.append(Setting(name: "api_key", value: maskKey(k), source: "\(name) (named by api_key_env in \(source))"))
        }
        if let k = env["TRACKINGMORE_API_KEY"], !k.isEmpty, fileProfile["api_key_env"] == nil {
            apiKey = k
            settings.append(Setting(name: "api_key", value: maskKey(k), source: "TRACKINGMORE_API_KEY"))
        }
        if apiKey == nil { settings.append(Setting(name: "api_key", value: "(none)", source: backend == .sandbox ? "not needed for the sandbox" : "not set")) }

        if let r = fileProfile["rate"].flatMap({ v -> Double? in
            if case .int(let i) = v { return Double(i) }
            if case .double(let d) = v { return d }
            return nil
        }) {
            rate = r
            settings.append(Setting(name: "rate", value: "\(r) requests/s", source: source))
        }
        if let r = command.rate {
            rate = r
            settings.append(Setting(name: "rate", value: "\(r) requests/s", source: "--rate"))
        }
        if rate == nil {
            settings.append(Setting(name: "rate", value: backend.isLive ? "1 request/s (3/s realtime)" : "unlimited", source: "default"))
        }
        var inFlightSource = "default"
        if let v = fileProfile["in_flight"] {
            guard case .int(let n) = v, APISession.inFlightRange.contains(n) else {
                throw Configuration.error("in_flight in \(source) must be a whole number from 1 to 32, not \(v.compactText)")
            }
            (inFlight, inFlightSource) = (n, source)
        }
        if let n = command.inFlight { (inFlight, inFlightSource) = (n, "--in-flight") }
        settings.append(Setting(name: "in_flight", value: "\(inFlight) requests", source: inFlightSource))
        if case .bool(let ro)? = fileProfile["read_only"] { readOnly = ro }
        settings.append(Setting(name: "read_only", value: String(command.readOnly || readOnly), source: command.readOnly ? "--read-only" : fileProfile["read_only"] != nil ? source : "default"))
        readOnly = command.readOnly || readOnly
        settings.append(Setting(name: "dry_run", value: String(command.dryRun), source: command.dryRun ? "--dry-run" : "default"))
        settings.append(Setting(name: "output", value: command.output?.rawValue ?? "table", source: command.output != nil ? "--output" : "default"))
        settings.append(Setting(name: "color", value: String(!command.noColor && env["NO_COLOR"] == nil), source: command.noColor ? "--no-color" : env["NO_COLOR"] != nil ? "NO_COLOR" : "default (only on a terminal)"))
        settings.append(Setting(name: "config_file", value: path, source: access(path, F_OK) == 0 ? "found" : "not found"))
        // Where the other files go (docs/backends.md, "Files").
        let paths = Paths(environment: env)
        settings.append(Setting(name: "data_dir", value: paths.data, source: Paths.source("XDG_DATA_HOME", env)))
        settings.append(Setting(name: "state_dir", value: paths.state, source: Paths.source("XDG_STATE_HOME", env)))
    }

    /// The `[profile.NAME]` tables of the file.
    static func profiles(_ path: String) throws -> Record {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path)
        } catch let e as TMSError {
            throw TMSError(e.diagnostics, exitCode: ExitCode.configuration)
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: String(decoding: bytes, as: UTF8.self))
        } catch let e as TOMLParseError {
            throw error("\(path):\(e.source.begin.line):\(e.source.begin.column): \(e.description)")
        }
        guard let json = try? JSON.parse(table.convert(to: .json)), case .record(let top) = json else {
            throw error("\(path) could not be read as TOML")
        }
        for key in top.keys where key != "profile" {
            throw error("unknown table '\(key)' in \(path)", help: "settings live in [profile.NAME] tables")
        }
        return top["profile"]?.recordValue ?? Record()
    }

    /// Like ssh, tms refuses a file with a key in it that others may read.
    static func checkPrivate(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { return }
        if st.st_mode & 0o077 != 0 {
            throw error("\(path) holds an API key and others can read it", help: "chmod 600 \(path)")
        }
    }

    static func error(_ message: String, help: String? = nil) -> TMSError {
        TMSError(Diagnostic(code: "E0241", message: message, help: help), exitCode: ExitCode.configuration)
    }

    /// The text of `tms config explain`.
    var explanation: String {
        let width = settings.map(\.name.count).max() ?? 0
        return settings.map { s in
            s.name + String(repeating: " ", count: width - s.name.count) + "  " + s.value + "    (" + s.source + ")"
        }.joined(separator: "\n") + "\n"
    }
}
