import ArgumentParser
import TrackingMore
import TrackingMoreSandbox

/// `tms class report|reset|seed`: the teacher's view of a classroom's `tms serve` database,
/// where each student's key is an account and `tms learn --endpoint` records their lessons.
struct ClassCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "class",
        abstract: "A classroom's students: lessons done and last activity; reset or re-seed one account.",
        subcommands: [Report.self, Reset.self, Seed.self])

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each student's lessons done and last activity (real time, UTC).")
        @OptionGroup var options: KeysCommand.Options

        func run() throws {
            let students = try options.sandbox().students()
            guard !students.isEmpty else {
                writeAll(1, "no students yet: tms keys add NAME makes a key for one\n")
                return
            }
            var rows = [["student", "done", "last activity", "lessons done"]]
            for s in students {
                rows.append([
                    s.name + (s.revoked ? " (revoked)" : ""), String(s.done.count),
                    s.lastActivity.map(UTC.iso) ?? "-",
                    s.done.isEmpty ? "-" : s.done.map(\.lesson).joined(separator: " "),
                ])
            }
            let widths = (0..<3).map { c in rows.map { $0[c].count }.max() ?? 0 }
            for row in rows {
                var line = ""
                for c in 0..<3 { line += row[c] + String(repeating: " ", count: widths[c] - row[c].count + 2) }
                writeAll(1, line + row[3] + "\n")
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Empty one student's account: no trackings, the clock at its start, the quota whole.")
        @ArgumentParser.Argument(help: "The student's key name.") var name: String
        @Flag(help: "Forget the student's lessons too.") var lessons = false
        @OptionGroup var options: KeysCommand.Options

        func run() throws {
            guard try options.sandbox().resetAccount(name: name, lessons: lessons) else {
                throw ValidationError("no key named '\(name)': tms keys list shows them")
            }
            writeAll(1, "reset the account of '\(name)'\(lessons ? " and forgot its lessons" : "")\n")
        }
    }

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add realistic trackings to one student's account (as sandbox seed N).")
        @ArgumentParser.Argument(help: "The student's key name.") var name: String
        @ArgumentParser.Argument(help: "How many trackings, 1 to 10000.") var count: Int
        @OptionGroup var options: KeysCommand.Options

        func validate() throws {
            guard (1...10_000).contains(count) else { throw ValidationError("count must be from 1 to 10000") }
        }

        func run() throws {
            guard let answer = try options.sandbox().seedAccount(name: name, count: count) else {
                throw ValidationError("no key named '\(name)': tms keys list shows them")
            }
            guard answer.meta.isSuccess else { throw ValidationError("the sandbox refused: \(answer.meta.message)") }
            writeAll(1, "added \(answer.data["added"]?.intValue ?? 0) trackings to the account of '\(name)'\n")
        }
    }
}
