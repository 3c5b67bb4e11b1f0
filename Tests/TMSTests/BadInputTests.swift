#if canImport(Glibc)
import Glibc
import Testing
@testable import TMS

/// Bad input that cannot live as a file under `Tests/Scripts/bad`: huge, deeply nested, not
/// UTF-8, or one that has made the parser loop or crash.
///
/// For each input the parser and checker must return diagnostics (or none, where the input is
/// sound) whose first one has a line and column, render them in a few lines, and finish. Each
/// check runs in a child process (`BadInputChecker`, started by `Isolated`), so an input that
/// crashes or hangs tms fails its own test instead of taking the whole test run down or filling
/// the memory. Linux only: the child limits itself through /proc.
// Serialized: each check blocks a thread of the cooperative pool while its child runs, and on a
// 2-core machine two at once would leave no thread for other suites' timers (their deadlines).
@Suite(.serialized) struct BadInputTests {
    static let deep = 10_000
    static let limit = Parser.maxNesting

    // MARK: Deep nesting

    /// Nesting past the limit is one error at the first bracket too many, and a balanced input
    /// is not "unexpected end of input".
    @Test(arguments: [("(", ")"), ("[", "]")])
    func deepBrackets(open: String, close: String) {
        let source = "echo " + String(repeating: open, count: Self.deep) + "1" + String(repeating: close, count: Self.deep) + "\n"
        // The 201st bracket stands at column 5 + 201.
        expectDiagnostics(
            source, label: "\(Self.deep) nested '\(open)'", code: "E0009", at: (1, 5 + Self.limit + 1), count: 1,
            incomplete: false)
    }

    @Test func deepRecords() {
        let source = "echo " + String(repeating: "{a: ", count: Self.deep) + "1" + String(repeating: "}", count: Self.deep) + "\n"
        // The 201st '{' stands at column 6 + 200 * 4.
        expectDiagnostics(
            source, label: "\(Self.deep) nested records", code: "E0009", at: (1, 6 + Self.limit * 4), count: 1,
            incomplete: false)
    }

    @Test func deepIfBlocks() {
        let source = String(repeating: "if true {\n", count: Self.deep) + "echo 1\n" + String(repeating: "}\n", count: Self.deep)
        expectDiagnostics(
            source, label: "\(Self.deep) nested if blocks", code: "E0009", at: (Self.limit + 1, nil), count: 1,
            incomplete: false)
    }

    @Test func deepUnclosedIfBlocks() {
        let source = String(repeating: "if true {\n", count: Self.deep)
        expectDiagnostics(source, label: "\(Self.deep) unclosed if blocks", code: "E0009", at: (Self.limit + 1, nil), count: 1)
    }

    @Test(arguments: ["not ", "- "])
    func deepUnaryOperators(op: String) {
        let source = "let x = " + String(repeating: op, count: Self.deep) + (op == "not " ? "true" : "1") + "\n"
        expectDiagnostics(source, label: "\(Self.deep) × '\(op)'", code: "E0023", at: (1, nil), count: 1, incomplete: false)
    }

    /// Interpolations nest like brackets and have the same limit.
    @Test func deepInterpolation() {
        var source = "echo 1"
        for _ in 0..<Self.deep { source = "echo \"$(" + source + ")\"" }
        expectDiagnostics(source + "\n", label: "\(Self.deep) nested $( ... ) interpolations", code: "E0009", at: (1, nil))
    }

    /// Exactly at the limit is still fine.
    @Test(arguments: [("(", ")"), ("[", "]"), ("{a: ", "}")])
    func nestingAtTheLimit(open: String, close: String) {
        let n = Self.limit
        let source = "echo " + String(repeating: open, count: n) + "1" + String(repeating: close, count: n) + "\n"
        expectClean(source, label: "\(n) nested '\(open)'")
    }

    /// The condition of the innermost if is one level deeper than its block.
    @Test func ifBlocksAtTheLimit() {
        let n = Self.limit - 1
        let source = String(repeating: "if true {\n", count: n) + "echo 1\n" + String(repeating: "}\n", count: n)
        expectClean(source, label: "\(n) nested if blocks")
    }

    /// Long chains are flat in the source but deep in the syntax tree; they must not overflow
    /// the stack of the checker (or of freeing the tree). An error is fine, a crash is not.
    @Test(arguments: ["+", "and", "where", "else if", "list"])
    func longChains(kind: String) {
        let source: String
        switch kind {
        case "+": source = "let x = " + Array(repeating: "1", count: 100_000).joined(separator: " + ")
        case "and": source = "let x = " + Array(repeating: "true", count: 100_000).joined(separator: " and ")
        case "where": source = "[1] | where " + Array(repeating: "$it == 1", count: 50_000).joined(separator: " and ")
        case "else if": source = "if false { echo 0 }" + String(repeating: " else if false { echo 0 }", count: 10_000)
        default: source = "echo [" + Array(repeating: "1", count: 100_000).joined(separator: ", ") + "] | count"
        }
        expectNoCrash(source + "\n", label: "a long chain of '\(kind)'")
    }

    // MARK: Long lines

    static let megabyte = 1 << 20

    @Test func hugeWord() {
        expectClean("echo " + String(repeating: "a", count: Self.megabyte) + "\n", label: "a 1 MB word")
    }

    @Test func hugeString() {
        expectClean("echo \"" + String(repeating: "a", count: Self.megabyte) + "\"\n", label: "a 1 MB string")
    }

    @Test func errorAtTheEndOfAHugeLine() {
        let source = "echo \"" + String(repeating: "a", count: Self.megabyte) + "\" $nope\n"
        expectDiagnostics(source, label: "1 MB string then $nope", code: "E0102", at: (1, 6 + Self.megabyte + 3), count: 1, incomplete: false)
    }

    /// Columns count characters: 'é' is two bytes and one column.
    @Test func errorAfterHugeNonASCIIText() {
        let n = Self.megabyte / 2
        let source = "echo \"" + String(repeating: "é", count: n) + "\" $nope\n"
        expectDiagnostics(source, label: "\(n) × 'é' then $nope", code: "E0102", at: (1, 6 + n + 3), count: 1, incomplete: false)
    }

    @Test func unterminatedHugeString() {
        let source = "echo \"" + String(repeating: "a", count: Self.megabyte) + "\n"
        expectDiagnostics(source, label: "an unterminated 1 MB string", code: "E0001", at: (1, 6), count: 1, incomplete: true)
    }

    @Test func strayParenthesisAtTheEndOfAHugeLine() {
        let source = "echo " + String(repeating: "a ", count: Self.megabyte / 2) + ")\n"
        expectDiagnostics(source, label: "1 MB of words then ')'", at: (1, 6 + Self.megabyte), count: 1, incomplete: false)
    }

    // MARK: Encoding

    static let invalidSequences: [([UInt8], String)] = [
        ([0xFF], "0xFF"),
        ([0x80], "a lone continuation byte"),
        ([0xC3, 0x20], "a two-byte sequence cut short"),
        ([0xE2, 0x82, 0x20], "a three-byte sequence cut short"),
        ([0xC0, 0xAF], "an overlong '/' in two bytes"),
        ([0xE0, 0x80, 0xAF], "an overlong '/' in three bytes"),
        ([0xED, 0xA0, 0x80], "a UTF-16 surrogate"),
        ([0xF4, 0x90, 0x80, 0x80], "a code point past U+10FFFF"),
    ]

    /// The first bad byte is reported at its line and column, whatever else the line holds.
    @Test(arguments: invalidSequences)
    func invalidUTF8(bad: [UInt8], label: String) {
        let head = Array("echo 1\necho 2\n".utf8)
        for (line3, place) in [("echo ", "in code"), ("# ab ", "in a comment"), ("\"abc ", "in a string")] {
            let bytes = head + Array(line3.utf8) + bad + Array(" x\n".utf8)
            expectDiagnostics(bytes, label: "\(label) \(place)", code: "E0007", at: (3, 6), count: 1, incomplete: false)
        }
    }

    @Test func invalidUTF8AtTheEndOfTheFile() {
        let bytes = Array("echo 1\necho 2\necho ".utf8) + [0xE2, 0x82]
        expectDiagnostics(bytes, label: "a three-byte sequence cut by the end of the file", code: "E0007", at: (3, 6), count: 1, incomplete: false)
    }

    @Test func nulByte() {
        expectDiagnostics(Array("echo 1\necho ".utf8) + [0] + Array(" 2\n".utf8), label: "NUL in code", code: "E0008", at: (2, 6), count: 1)
        expectDiagnostics(Array("echo \"a".utf8) + [0] + Array("b\"\n".utf8), label: "NUL in a string", code: "E0008", at: (1, 8), count: 1)
        expectDiagnostics([0] + Array("echo 1\n".utf8), label: "NUL first", code: "E0008", at: (1, 1), count: 1)
    }

    // MARK: Long pipelines and scripts

    @Test func fiftyThousandStages() {
        let source = "echo 1" + String(repeating: " | count", count: 50_000) + "\n"
        // The 1000th '|' stands at column 8 * 1000.
        expectDiagnostics(source, label: "50,000 stages", code: "E0010", at: (1, 8 * Parser.maxStages), count: 1, incomplete: false)
    }

    @Test func fiftyThousandStagesOnTheirOwnLines() {
        let source = "echo 1\n" + String(repeating: "| count\n", count: 50_000)
        expectDiagnostics(
            source, label: "50,000 stages, one a line", code: "E0010", at: (Parser.maxStages + 1, 1), count: 1, incomplete: false)
    }

    @Test func hundredThousandLinesThenAnUnterminatedString() {
        let source = String(repeating: "let x = 1\n", count: 100_000) + "echo \"oops\n"
        expectDiagnostics(source, label: "100,000 lets, then an open string", code: "E0001", at: (100_001, 6), count: 1, incomplete: true)
    }

    // MARK: Stray closers and errors inside brackets

    /// One error each, at the place given, and never "unexpected end of input".
    @Test(arguments: [
        Place("echo 1)", 1, 7),
        Place("echo 1 ]", 1, 8),
        Place(")", 1, 1),
        Place("]", 1, 1),
        Place("echo 1\necho 2)\necho 3", 2, 7),
        Place("echo (1]", 1, 6),
        Place("echo [1)", 1, 6),
        Place("echo {a: 1]", 1, 6),
        Place("echo (not)", 1, 10),
        Place("echo (1 == )", 1, 12),
        Place("echo [1, ==]", 1, 10),
        Place("[1,,2]", 1, 4),
        Place("[1] | each { $it + ) }", 1, 20),
        Place("echo \"$(1 + )\"", 1, 13),
        Place("let r = {a: 1,, b: 2}", 1, 15),
    ])
    func errorBeforeAClosingBracket(_ place: Place) {
        expectDiagnostics(place.source + "\n", label: place.source.debugDescription, at: (place.line, place.column), count: 1, incomplete: false)
    }

    struct Place: Sendable, CustomTestStringConvertible {
        var source: String
        var line: Int
        var column: Int

        init(_ source: String, _ line: Int, _ column: Int) {
            (self.source, self.line, self.column) = (source, line, column)
        }

        var testDescription: String { "\(source.debugDescription) at \(line):\(column)" }
    }

    /// The '(' is closed; what is wrong is the '2' where ')' should be, so the error points there.
    @Test func twoValuesInParentheses() {
        expectDiagnostics("echo (1 2)\n", label: "echo (1 2)", at: (1, 9), count: 1, incomplete: false)
    }

    // MARK: Incomplete input

    /// What the REPL reads as "the entry goes on": input that ends inside a string, a bracket,
    /// or after a '|'; and what it must not.
    @Test(arguments: [
        ("echo \"abc", true),
        ("echo 'abc", true),
        ("if true {", true),
        ("if true {\n  echo 1", true),
        ("def f {", true),
        ("try {", true),
        ("echo (1 +", true),
        ("echo [1, 2", true),
        ("echo {a: 1", true),
        ("echo a |", true),
        ("echo \"$(count", true),
        ("echo \"${a", true),
        ("let x = 1 +", true),
        ("}", false),
        ("echo 1 }", false),
        ("echo 1)", false),
        ("echo 1 ]", false),
        ("echo (1]", false),
        ("echo \"\\q\"", false),
        ("cuont", false),
        ("echo \"$(1 + )\"", false),
        ("echo \"${}\"", false),
    ])
    func incompleteInput(source: String, incomplete: Bool) {
        expectDiagnostics(source, label: source.debugDescription, incomplete: incomplete)
    }
}

// MARK: - Checks

/// What the child found in one input, as `tms FILE` would: its diagnostics and whether the
/// REPL would read the input as going on.
private struct Verdict {
    struct Found {
        var code: String
        var place: (line: Int, column: Int)?
        var message: String
        /// The bytes of its rendering and whether that holds a NUL (first 5 diagnostics only).
        var renderedBytes: Int
        var renderingHasNUL: Bool
    }

    var incomplete: Bool
    var diagnostics: [Found]

    /// Reads the child's output (see Tests/BadInputChecker/main.swift).
    init?(_ text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let first = lines.first, first.hasPrefix("incomplete\t") else { return nil }
        incomplete = first.hasSuffix("1")
        diagnostics = []
        for line in lines.dropFirst() {
            let f = line.split(separator: "\t", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6, let bytes = Int(f[3]) else { return nil }
            let place = Int(f[1]).flatMap { l in Int(f[2]).map { (l, $0) } }
            var message = ""
            var escaped = false
            for c in f[5] {
                if escaped {
                    message.append(c == "t" ? "\t" : c == "n" ? "\n" : c)
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else {
                    message.append(c)
                }
            }
            diagnostics.append(Found(code: f[0], place: place, message: message, renderedBytes: bytes, renderingHasNUL: f[4] == "1"))
        }
    }
}

/// The parts of a verdict that every bad input must have, and those a test asks for.
private func findings(
    _ verdict: Verdict, code: String?, at location: (line: Int, column: Int?)?, count: Int?, incomplete: Bool?
) -> [String] {
    var failures: [String] = []
    let diagnostics = verdict.diagnostics
    guard let first = diagnostics.first else { return ["no diagnostic"] }
    let summary = diagnostics.prefix(3).map { d -> String in
        let (l, c) = d.place ?? (0, 0)
        return "\(l):\(c) \(d.code) \(d.message)"
    }.joined(separator: "; ") + (diagnostics.count > 3 ? "; …" : "")
    if let code, first.code != code { failures.append("first diagnostic is \(first.code), expected \(code): \(summary)") }
    if let lc = first.place {
        if let location, lc.line != location.line || (location.column.map { $0 != lc.column } ?? false) {
            failures.append("first diagnostic at \(lc.line):\(lc.column), expected \(location.line):\(location.column.map(String.init) ?? "*"): \(summary)")
        }
    } else {
        failures.append("first diagnostic has no line and column: \(summary)")
    }
    if let count, diagnostics.count != count {
        failures.append("\(diagnostics.count) diagnostics, expected \(count): \(summary)")
    }
    if let incomplete, verdict.incomplete != incomplete {
        failures.append(incomplete ? "not read as unexpected end of input: \(summary)" : "read as unexpected end of input: \(summary)")
    }
    for d in diagnostics.prefix(5) {
        if d.renderedBytes >= 2000 { failures.append("a rendered diagnostic is \(d.renderedBytes) bytes long: \(d.code) \(d.message.prefix(300))…") }
        if d.renderingHasNUL { failures.append("a rendered diagnostic holds a NUL byte") }
    }
    return failures
}

private func expectDiagnostics(
    _ source: String, label: String, code: String? = nil, at location: (line: Int, column: Int?)? = nil, count: Int? = nil,
    incomplete: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectDiagnostics(Array(source.utf8), label: label, code: code, at: location, count: count, incomplete: incomplete, sourceLocation: sourceLocation)
}

private func expectDiagnostics(
    _ bytes: [UInt8], label: String, code: String? = nil, at location: (line: Int, column: Int?)? = nil, count: Int? = nil,
    incomplete: Bool? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    let failures = Isolated.check(bytes) { findings($0, code: code, at: location, count: count, incomplete: incomplete) }
    for f in failures { Issue.record(Comment(rawValue: "\(label): \(f)"), sourceLocation: sourceLocation) }
}

/// The input is sound: no diagnostics at all.
private func expectClean(_ source: String, label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let failures = Isolated.check(Array(source.utf8)) { verdict -> [String] in
        verdict.diagnostics.isEmpty ? [] : ["expected no diagnostics: " + findings(verdict, code: nil, at: nil, count: 0, incomplete: nil).joined(separator: "; ")]
    }
    for f in failures { Issue.record(Comment(rawValue: "\(label): \(f)"), sourceLocation: sourceLocation) }
}

/// Anything but a crash or a hang; diagnostics, if any, must have a place.
private func expectNoCrash(_ source: String, label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let failures = Isolated.check(Array(source.utf8)) { verdict -> [String] in
        verdict.diagnostics.isEmpty ? [] : findings(verdict, code: nil, at: nil, count: nil, incomplete: nil)
    }
    for f in failures { Issue.record(Comment(rawValue: "\(label): \(f)"), sourceLocation: sourceLocation) }
}

// MARK: - Isolation

/// Checks an input in a child process, `BadInputChecker` (built with the tests, next to them),
/// started with posix_spawn: a new program, so it cannot inherit a lock another thread of the
/// test process held (a forked copy of the test process once hung on one). The child gets
/// `timeLimit` seconds and `memoryLimit` bytes more than it starts with; a crash, a hang or
/// running out of memory is a failure of the input's test alone.
private enum Isolated {
    static let timeLimit = 30
    static let memoryLimit = 256 << 20

    /// What `judge` finds in the child's verdict, or why there is none.
    static func check(_ bytes: [UInt8], judge: (Verdict) -> [String]) -> [String] {
        var template = Array("/tmp/tms-bad-input.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { $0.baseAddress.flatMap(mkdtemp).map { String(cString: $0) } }
        guard let dir = made else { return ["mkdtemp failed (errno \(errno))"] }
        let input = dir + "/bad.tms", output = dir + "/verdict"
        defer {
            unlink(input)
            unlink(output)
            rmdir(dir)
        }
        guard write(bytes, to: input) else { return ["cannot write \(input) (errno \(errno))"] }
        let status: Int32
        switch spawn([checker, input, String(timeLimit), String(memoryLimit >> 20)], stdout: output) {
        case .failure(let why): return [why.message]
        case .success(let s): status = s
        }
        let signal = status & 0x7F
        if signal == SIGALRM { return ["did not finish within \(timeLimit) s: a hang"] }
        if signal != 0 {
            let why = signal == SIGSEGV ? " (a stack overflow?)" : " (out of memory past the \(memoryLimit >> 20) MB allowed, or a trap)"
            return ["crashed with signal \(signal)\(why)"]
        }
        let code = (status >> 8) & 0xFF
        if code != 0 { return ["the child exited with code \(code)"] }
        guard let text = read(output), let verdict = Verdict(text) else { return ["the child's verdict cannot be read"] }
        return judge(verdict)
    }

    struct SpawnError: Error {
        var message: String
    }

    /// The checker, next to the test binary (both in .build/debug).
    static var checker: String {
        var path = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &path, path.count - 1)
        guard n > 0 else { return "BadInputChecker" }
        let exe = String(decoding: path[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(exe[..<(exe.lastIndex(of: "/") ?? exe.startIndex)]) + "/BadInputChecker"
    }

    /// Runs `arguments` with stdout to the file `stdout`, stdin and stderr on /dev/null, every
    /// signal unblocked and at its default action; its wait status.
    static func spawn(_ arguments: [String], stdout: String) -> Result<Int32, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // A crash is reported by the test in one line: no runtime backtrace (which takes seconds).
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = [strdup("SWIFT_BACKTRACE=enable=no"), nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let error = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard error == 0 else {
            return .failure(SpawnError(message: "cannot start \(arguments[0]) (errno \(error)); swift build --build-tests builds it"))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return .success(status)
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return false }
            written += n
        }
        return true
    }

    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes += buffer[0..<n]
        }
    }
}
#endif
