import Testing
import TMS
import TrackingMore
import TrackingMoreSandbox

#if canImport(Glibc)
import Glibc
#endif

/// Runs every `examples/*.tms` and `Tests/Scripts/**/*.tms` and compares what it does with
/// its annotations:
///
/// - `# expect: TEXT` — the next line of output is TEXT;
/// - `# expect error L:C: MESSAGE` — a diagnostic with that message at line L, column C;
/// - `# expect exit: N` — the exit code (otherwise 0, or that of the expected errors);
/// - `# args: A B` — the script's arguments.
///
/// Lines the command line writes on stderr beside the output (`trace`) are output lines
/// starting `stderr: `.
@Suite struct ScriptTests {
    static let root = packageRoot()

    static var scripts: [String] {
        var files = listFiles(root + "/examples", suffix: ".tms", recursive: false)
        files += listFiles(root + "/Tests/Scripts", suffix: ".tms", recursive: true)
        return files.map { String($0.dropFirst(root.count + 1)) }.sorted()
    }

    @Test(arguments: scripts)
    func script(_ path: String) async throws {
        let full = Self.root + "/" + path
        let text = String(decoding: try #require(readBytes(full)), as: UTF8.self)
        let expectation = Expectation(text)
        let result = await runScript(full, arguments: expectation.arguments)
        #expect(result.output == expectation.output, "output of \(path)")
        let errors = result.diagnostics.map { d -> String in
            let (line, column) = d.lineColumn ?? (0, 0)
            return "\(line):\(column): \(d.message)"
        }
        #expect(errors == expectation.errors, "diagnostics of \(path)")
        #expect(result.exitCode == expectation.exitCode(default: result.diagnostics.isEmpty ? 0 : result.exitCode), "exit code of \(path)")
    }
}

struct Expectation {
    var output = ""
    var errors: [String] = []
    var exit: Int32?
    var arguments: [String] = []

    init(_ text: String) {
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let hash = raw.firstRange(of: "# expect") ?? raw.firstRange(of: "# args: ") else { continue }
            let line = raw[raw.index(hash.lowerBound, offsetBy: 2)...]
            if line.hasPrefix("expect: ") || line == "expect:" {
                output += String(line.dropFirst(min(line.count, 8))) + "\n"
            } else if line.hasPrefix("expect error ") {
                errors.append(String(line.dropFirst(13)))
            } else if line.hasPrefix("expect exit: ") {
                exit = Int32(line.dropFirst(13))
            } else if line.hasPrefix("args: ") {
                arguments = line.dropFirst(6).split(separator: " ").map(String.init)
            }
        }
    }

    func exitCode(default code: Int32) -> Int32 {
        exit ?? (errors.isEmpty ? 0 : code)
    }
}

struct ScriptResult {
    var output: String
    var diagnostics: [Diagnostic]
    var exitCode: Int32
}

/// Runs a script file as `tms FILE --sandbox :memory:` does, capturing output; trailing blanks of each output
/// line are dropped, as annotations cannot hold them.
func runScript(_ path: String, arguments: [String] = [], settings: Interpreter.Settings = Interpreter.Settings()) async -> ScriptResult {
    await runSource(SourceFile(name: path, bytes: readBytes(path) ?? []), arguments: arguments, settings: settings)
}

func runSource(_ source: SourceFile, arguments: [String] = [], settings: Interpreter.Settings = Interpreter.Settings()) async -> ScriptResult {
    final class Sink: @unchecked Sendable {  // used from one task only
        var text = ""
    }
    let sink = Sink()
    let interpreter = Interpreter(settings: settings, output: { sink.text += $0 })
    // Each script gets a sandbox of its own, in memory.
    let api = APISession(backend: .sandbox) { InProcessTransport(sandbox: try Sandbox(path: ":memory:")) }
    api.failedItemsDirectory = "/tmp"
    // What the command line writes on stderr beside the output (trace) is part of the output
    // here, each line marked, with the time an exchange took left out.
    api.log = { text in
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            sink.text += "stderr: " + line.replacing(/\(\d+ ms\)/, with: "(… ms)") + "\n"
        }
    }
    interpreter.api = api
    interpreter.carrierCodes = Set(Carriers.all.map(\.code))
    var diagnostics: [Diagnostic] = []
    var code: Int32 = 0
    do {
        try await interpreter.run(script: source, arguments: arguments)
        code = interpreter.api?.exitCode ?? 0
    } catch let e as TMSError {
        diagnostics = e.diagnostics
        code = e.exitCode
    } catch let e as ExitRequest {
        code = e.code
    } catch {
        diagnostics = [Diagnostic(code: "?", message: "\(error)")]
        code = -1
    }
    let lines = sink.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
        var l = Substring(line)
        while l.last == " " { l.removeLast() }
        return String(l)
    }
    return ScriptResult(output: lines.joined(separator: "\n"), diagnostics: diagnostics, exitCode: code)
}

func packageRoot(file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    while let last = parts.last, last != "Tests" { parts.removeLast() }
    parts.removeLast()
    return parts.joined(separator: "/")
}

func readBytes(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

func listFiles(_ directory: String, suffix: String, recursive: Bool) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var files: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name == "." || name == ".." { continue }
        let path = directory + "/" + name
        if entry.pointee.d_type == DT_DIR {
            if recursive { files += listFiles(path, suffix: suffix, recursive: true) }
        } else if name.hasSuffix(suffix) {
            files.append(path)
        }
    }
    return files
}
