import TMS
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// One lesson, read from its folder (docs/tutorial/writing-lessons.md describes the format):
///
/// - `lesson.md`: `# Title`, the explanation, `## Task` (what to do at the prompt) and
///   optionally `## Done` (what to remember, shown once the task passes);
/// - `setup.tms`: run on an emptied lesson sandbox, its clock at its fixed start;
/// - `check.tms`: decides whether the task is done; it sees `$result` (the value the learner's
///   last command produced) and `$defs` (the names of the learner's defs), may read the
///   sandbox, and passes when its last statement is `true`;
/// - `hints.txt`: one hint a line, shown one after another after wrong tries;
/// - `answer.tms`: one correct answer, shown after the third wrong try.
public struct Lesson: Sendable {
    /// The folder's name: `03-envelope`. Progress is kept under it.
    public let id: String
    public let folder: String
    public let title: String
    public let explanation: String
    public let task: String
    public let done: String
    public let setup: String
    public let check: String
    public let hints: [String]
    public let answer: String

    /// Reads the lesson in `folder`; the error says which file is missing or wrong.
    public init(folder: String) throws {
        self.folder = folder
        id = String(folder.split(separator: "/").last ?? Substring(folder))
        func file(_ name: String, required: Bool = true) throws -> String {
            let path = folder + "/" + name
            guard access(path, R_OK) == 0 else {
                if required { throw LessonError("lesson \(folder) has no \(name)") }
                return ""
            }
            return String(decoding: try readFile(path), as: UTF8.self)
        }
        let text = try file("lesson.md")
        var title = ""
        var sections: [String: [Substring]] = [:]
        var current = "explanation"
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if title.isEmpty, line.hasPrefix("# ") {
                title = String(line.dropFirst(2)).trimmingBlanks()
            } else if line.hasPrefix("## ") {
                current = String(line.dropFirst(3)).trimmingBlanks().lowercased()
            } else {
                sections[current, default: []].append(line)
            }
        }
        func section(_ name: String) -> String {
            (sections[name] ?? []).joined(separator: "\n").trimmingBlankLines()
        }
        guard !title.isEmpty else { throw LessonError("\(folder)/lesson.md must start with '# Title'") }
        self.title = title
        explanation = section("explanation")
        task = section("task")
        guard !task.isEmpty else { throw LessonError("\(folder)/lesson.md has no '## Task' section") }
        done = section("done")
        setup = try file("setup.tms", required: false)
        check = try file("check.tms")
        hints = try file("hints.txt", required: false).split(separator: "\n").map { String($0).trimmingBlanks() }.filter { !$0.isEmpty }
        answer = try file("answer.tms").trimmingBlankLines()
    }

    /// The lessons of a folder: each sub-folder holding a `lesson.md`, in name order.
    public static func all(in directory: String) throws -> [Lesson] {
        guard let dir = opendir(directory) else { throw LessonError("cannot read the lessons folder \(directory): \(String(cString: strerror(errno)))") }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if !name.hasPrefix("."), access(directory + "/" + name + "/lesson.md", F_OK) == 0 { names.append(name) }
        }
        closedir(dir)
        guard !names.isEmpty else { throw LessonError("no lessons in \(directory): a lesson is a folder holding lesson.md") }
        return try names.sorted().map { try Lesson(folder: directory + "/" + $0) }
    }
}

/// A lesson folder that cannot be used, or a progress file that cannot be written.
public struct LessonError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension String {
    /// Without blank lines at either end.
    func trimmingBlankLines() -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false)
        while let f = lines.first, String(f).trimmingBlanks().isEmpty { lines.removeFirst() }
        while let l = lines.last, String(l).trimmingBlanks().isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
