import Testing
@testable import TMS
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// Compares text with a golden file under Tests/TMSTests/Snapshots; `RECORD_SNAPSHOTS=1`
/// writes the files anew.
func assertSnapshot(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let path = ScriptTests.root + "/Tests/TMSTests/Snapshots/\(name).txt"
    if getenv("RECORD_SNAPSHOTS") != nil {
        let f = fopen(path, "wb")
        _ = fputs(text, f)
        fclose(f)
        return
    }
    guard let golden = readBytes(path) else {
        Issue.record("no snapshot \(name).txt; run with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    #expect(text == String(decoding: golden, as: UTF8.self), "snapshot \(name)", sourceLocation: sourceLocation)
}

@Suite struct SnapshotTests {
    func diagnostics(_ name: String, _ text: String) async -> String {
        do {
            try await Interpreter(output: { _ in }).run(text, name: name)
            return "(no error)\n"
        } catch let e as TMSError {
            return DiagnosticRenderer().render(e.diagnostics)
        } catch {
            return "\(error)\n"
        }
    }

    @Test func renderedDiagnostics() async {
        var out = ""
        let cases: [(String, String)] = [
            ("unknown-verb.tms", "let t = [1, 2]\n$t | cuont\n"),
            ("unclosed.tms", "let x = [1, 2,\n  3\nlet y = (4 + 5\n"),
            ("several.tms", "let = 1\nwhere ==\nfirst 1 2\n"),
            ("keyword.tms", "[{a: 1}] | sort a ordr=desc\n"),
            ("missing-value.tms", "[{a: 1}] | set a=\n"),
            ("unicode.tms", "let café = \"naïve\"\n$café + 1\n"),
            ("runtime.tms", "def inner x { $x.status }\ndef outer { inner {statu: 1} }\nouter\n"),
            ("long-line.tms", "echo " + String(repeating: "a", count: 300) + " \"\\q\" " + String(repeating: "b", count: 300) + "\n"),
            ("assert.tms", "let n = 3\nassert $n > 5 \"n is too small\"\n"),
            ("types.tms", "first many\n"),
        ]
        for (name, text) in cases {
            out += "=== \(name)\n" + (await diagnostics(name, text)) + "\n"
        }
        assertSnapshot("diagnostics", out)
    }

    @Test func renderedTables() {
        let rows: [Record] = [
            Record([("carrier_code", "sto"), ("tracking_number", "402934299065"), ("status", "transit"), ("weight", 1.25)]),
            Record([("carrier_code", "china-post"), ("tracking_number", "RR123456785CN"), ("status", "delivered"), ("weight", 12)]),
            Record([("carrier_code", "ups"), ("tracking_number", "1Z999AA10123456784"), ("title", "一双鞋子 (shoes)"), ("weight", .null)]),
        ]
        var out = "=== wide\n" + Renderer(width: 120).table(rows)
        out += "=== 40 columns: cells give way\n" + Renderer(width: 40).table(rows)
        out += "=== 20 columns: columns drop\n" + Renderer(width: 20).table(rows)
        let nested = Record([("id", "a1"), ("origin_info", ["trackinfo": [1, 2, 3]]), ("tags", ["x"]), ("note", "line one\nline two")])
        out += "=== record\n" + Renderer().render(.record(nested))
        out += "=== scalars\n" + Renderer().render([1, "two", 3.5, true, .null])
        out += "=== mixed\n" + Renderer().render([1, ["a": 1]])
        out += "=== csv\n" + Renderer(format: .csv).render(.list(rows.map { .record($0) }))
        out += "=== jsonl\n" + Renderer(format: .jsonl).render(.list(rows.prefix(2).map { .record($0) }))
        assertSnapshot("tables", out)
    }

    @Test func helpForEveryVerb() {
        let registry = VerbRegistry(BuiltinVerbs.all)
        var out = Help.overview(registry)
        for verb in registry.all { out += "\n=== help \(verb.signature.name)\n" + Help.text(for: verb.signature) }
        assertSnapshot("help", out)
    }
}
