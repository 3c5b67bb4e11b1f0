import Testing
import TMS
import TrackingMore
import TrackingMoreSandbox

#if canImport(Glibc)
import Glibc
#endif

/// Runs every support script of `examples/support/` as a support agent would, against a
/// seeded sandbox, and checks what it prints and leaves behind. Each has a spec in
/// `Tests/Examples/NAME.tms`:
///
/// - the lines before `# run: ARGS` set the sandbox up (their output is not checked);
/// - `# run: ARGS` runs `examples/support/NAME.tms ARGS`;
/// - the lines after `# then:` run afterwards on the same sandbox (to look at what changed and
///   at the files written);
/// - `# expect:` lines are the output of the script followed by that of the `then` part, and
///   `# expect exit: N` the script's exit code.
///
/// `{tmp}` stands for a fresh folder; a failed-items file written there is renamed
/// `{tmp}/failed.jsonl`.
@Suite struct SupportExampleTests {
    static let folder = ScriptTests.root + "/examples/support"

    static var names: [String] {
        listFiles(folder, suffix: ".tms", recursive: false).map { String($0.split(separator: "/").last ?? "") }.sorted()
    }

    @Test func thereAreTenOrMore() {
        #expect(Self.names.count >= 10)
    }

    @Test(arguments: names)
    func example(_ name: String) async throws {
        let script = Self.folder + "/" + name
        let specPath = ScriptTests.root + "/Tests/Examples/" + name
        let pattern = try #require(strdup("/tmp/tms-example-XXXXXX"))
        defer { free(pattern) }
        let tmp = String(cString: try #require(mkdtemp(pattern)))
        let original = String(decoding: try #require(readBytes(specPath), "no spec \(specPath)"), as: UTF8.self)
        let spec = original.replacingAll("{tmp}", with: tmp)
        var setup: [Substring] = [], then: [Substring] = []
        var arguments: [String]?
        for line in spec.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# run:") {
                arguments = Self.words(line.dropFirst(6))
            } else if line.hasPrefix("# then:") {
                then = [""]
            } else if arguments == nil {
                setup.append(line)
            } else if !then.isEmpty {
                then.append(line)
            }
        }
        let expectation = Expectation(spec)
        let sandbox = try Sandbox(path: ":memory:")
        let sink = Sink()
        func interpreter() -> Interpreter {
            let i = Interpreter(output: { sink.text += $0 })
            let api = APISession(backend: .sandbox) { InProcessTransport(sandbox: sandbox) }
            api.failedItemsDirectory = tmp
            i.api = api
            return i
        }
        try await interpreter().run(setup.joined(separator: "\n"), name: "setup of \(name)", printResults: false)

        // The script, with its parameters, as tms FILE ARGS runs it.
        let source = SourceFile(name: script, bytes: try #require(readBytes(script)))
        let main = interpreter()
        let (checked, errors) = main.check(source)
        #expect(errors.isEmpty, "\(name): \(errors.map(\.message))")
        var code: Int32 = 0
        do {
            try await main.run(script: source, arguments: try #require(arguments, "\(name): no '# run:' line"))
            code = main.api?.exitCode ?? 0
        } catch let e as TMSError {
            sink.text += DiagnosticRenderer().render(e.diagnostics)
            code = e.exitCode
        }
        #expect(code == (expectation.exit ?? 0), "exit code of \(name)")

        if let failed = listFiles(tmp, suffix: ".jsonl", recursive: false).first(where: { $0.contains("/failed-") }) {
            rename(failed, tmp + "/failed.jsonl")
        }
        if !then.isEmpty {
            try await interpreter().run(then.joined(separator: "\n"), name: "then of \(name)")
        }
        let output = sink.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var l = Substring(line)
            while l.last == " " { l.removeLast() }
            return String(l)
        }.joined(separator: "\n")
        if getenv("RECORD_SNAPSHOTS") != nil {
            // Rewrites the spec's expectations with what ran (review the diff before keeping it).
            var lines = original.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("# expect: ") && $0 != "# expect:" }
            while lines.last == "" { lines.removeLast() }
            var recorded = output.replacingAll(tmp, with: "{tmp}").split(separator: "\n", omittingEmptySubsequences: false)
            if recorded.last == "" { recorded.removeLast() }
            let text = (lines + recorded.map { $0.isEmpty ? "# expect:" : "# expect: " + $0 }).joined(separator: "\n") + "\n"
            let f = fopen(specPath, "wb")
            _ = fputs(text, f)
            fclose(f)
        } else {
            #expect(output == expectation.output, "output of \(name)")
        }

        // Every script says when to use it, and its --help describes each parameter.
        let text = String(decoding: source.bytes, as: UTF8.self)
        #expect(text.hasPrefix("#!/usr/bin/env tms\n# "), "\(name) starts with its header comment")
        #expect(text.contains("\n# When to use:"), "\(name) says when to use it")
        let params = try #require(checked.params, "\(name) has a param block")
        #expect(!params.declarations.isEmpty)
        for d in params.declarations {
            #expect(!d.help.isEmpty, "\(name): --\(d.name) has no help text")
        }
        #expect(Interpreter.scriptHelp(checked).hasPrefix("usage: tms \(script) "))
    }
}

extension SupportExampleTests {
    /// Splits an argument line at blanks, as a shell would; "double quotes" keep blanks.
    static func words(_ line: Substring) -> [String] {
        var words: [String] = []
        var word: String?
        var quoted = false
        for c in line {
            if c == "\"" {
                quoted.toggle()
                word = word ?? ""
            } else if c == " " && !quoted {
                if let w = word { words.append(w) }
                word = nil
            } else {
                word = (word ?? "") + String(c)
            }
        }
        if let w = word { words.append(w) }
        return words
    }
}

/// Output of a test, gathered from one task at a time.
private final class Sink: @unchecked Sendable {  // written by the test's own task only
    var text = ""
}
