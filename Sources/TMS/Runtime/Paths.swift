#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where tms keeps its files, by the XDG base directory rules: one value, made from the
/// environment, that the config file, the startup file, the shell's history, the sandbox
/// databases, `tms learn`'s progress and the installed lessons are all found through.
/// docs/backends.md ("Files") lists them.
///
/// A variable that is unset, empty or not an absolute path is ignored, as the XDG rules say,
/// and the default under `$HOME` is used.
public struct Paths: Sendable, Equatable {
    /// `$XDG_CONFIG_HOME/tms`, else `~/.config/tms`: the config file and the startup file.
    public var config: String
    /// `$XDG_DATA_HOME/tms`, else `~/.local/share/tms`: the sandbox databases, lesson files.
    public var data: String
    /// `$XDG_STATE_HOME/tms`, else `~/.local/state/tms`: history, lesson progress.
    public var state: String
    /// `$TMS_LESSONS` when set.
    var lessonsOverride: String?

    public init(environment env: [String: String]) {
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        func base(_ variable: String, _ fallback: String) -> String {
            Paths.source(variable, env) == variable ? env[variable] ?? "" : home + "/" + fallback
        }
        config = base("XDG_CONFIG_HOME", ".config") + "/tms"
        data = base("XDG_DATA_HOME", ".local/share") + "/tms"
        state = base("XDG_STATE_HOME", ".local/state") + "/tms"
        lessonsOverride = env["TMS_LESSONS"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where a folder comes from, for `tms config explain`: the variable's name when it holds
    /// an absolute path, else `default` (saying why when it is set but not used).
    public static func source(_ variable: String, _ env: [String: String]) -> String {
        guard let value = env[variable], !value.isEmpty else { return "default" }
        return value.hasPrefix("/") ? variable : "default: \(variable) is not an absolute path"
    }

    /// `config.toml`: the profiles.
    public var configFile: String { config + "/config.toml" }
    /// `init.tms`: run before the shell's first prompt.
    public var startupFile: String { config + "/init.tms" }
    /// The shell's history of one profile.
    public func history(profile: String) -> String { state + "/history-" + profile }
    /// A file of the data folder: a sandbox database (`sandbox.sqlite`, `serve.sqlite`, ...).
    public func dataFile(_ name: String) -> String { data + "/" + name }
    /// A learner's progress through a set of lessons.
    public func lessonProgress(learner: String, lessons: String) -> String { state + "/learn/\(learner)-\(lessons).json" }

    /// The lessons that come with tms: `$TMS_LESSONS`, else `../share/tms/lessons` beside the
    /// executable (`make install`), else a `lessons` folder in a directory above it that also
    /// holds `Package.swift` (a build in the repository: `.build/debug/tms`).
    public var lessons: String? {
        if let lessonsOverride { return lessonsOverride }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let exe = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var dir = String(exe[..<(exe.lastIndex(of: "/") ?? exe.startIndex)])
        let share = dir + "/../share/tms/lessons"
        if access(share, F_OK) == 0 { return share }
        while !dir.isEmpty {
            if access(dir + "/lessons", F_OK) == 0, access(dir + "/Package.swift", F_OK) == 0 { return dir + "/lessons" }
            guard let slash = dir.lastIndex(of: "/") else { break }
            dir = String(dir[..<slash])
        }
        return nil
    }

    /// A folder that could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Makes `path` and the folders above it, readable by the user alone; returns `path`.
    @discardableResult
    public static func makeDirectories(_ path: String) throws(Failure) -> String {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw Failure(description: "cannot create \(current): \(String(cString: strerror(errno)))")
            }
        }
        return path
    }
}
