#if canImport(Glibc)
import Glibc
import Testing
@testable import TMS

/// Bad input that cannot live as a file under `Tests/Scripts/bad`: huge, deeply nested, not
/// UTF-8, or one that has made the parser loop or crash.
///
/// For each input the parser and checker must return diagnostics (or none, where the input is
/// sound) whose first one has a line and column, render them in a few lines, and finish. Each
/// check runs in a child process (see `Isolated`), so an input that crashes or hangs tms fails
/// its own test instead of taking the whole test run down or filling the memory. Linux only:
/// the isolation uses fork(2), which Swift does not offer on Darwin.
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

/// The parser and checker's verdict on `bytes`, as `tms FILE` sees it.
private func diagnose(_ bytes: [UInt8]) -> [Diagnostic] {
    Interpreter().check(SourceFile(name: "bad.tms", bytes: bytes)).1
}

/// The parts of a verdict that every bad input must have, and those a test asks for.
private func findings(
    _ diagnostics: [Diagnostic], code: String?, at location: (line: Int, column: Int?)?, count: Int?, incomplete: Bool?
) -> [String] {
    var failures: [String] = []
    guard let first = diagnostics.first else { return ["no diagnostic"] }
    let summary = diagnostics.prefix(3).map { d -> String in
        let (l, c) = d.lineColumn ?? (0, 0)
        return "\(l):\(c) \(d.code) \(d.message)"
    }.joined(separator: "; ") + (diagnostics.count > 3 ? "; …" : "")
    if let code, first.code != code { failures.append("first diagnostic is \(first.code), expected \(code): \(summary)") }
    if let lc = first.lineColumn {
        if let location, lc.line != location.line || (location.column.map { $0 != lc.column } ?? false) {
            failures.append("first diagnostic at \(lc.line):\(lc.column), expected \(location.line):\(location.column.map(String.init) ?? "*"): \(summary)")
        }
    } else {
        failures.append("first diagnostic has no line and column: \(summary)")
    }
    if let count, diagnostics.count != count {
        failures.append("\(diagnostics.count) diagnostics, expected \(count): \(summary)")
    }
    if let incomplete, Parser.isIncomplete(diagnostics) != incomplete {
        failures.append(incomplete ? "not read as unexpected end of input: \(summary)" : "read as unexpected end of input: \(summary)")
    }
    for d in diagnostics.prefix(5) {
        let text = DiagnosticRenderer().render(d)
        if text.utf8.count >= 2000 { failures.append("a rendered diagnostic is \(text.utf8.count) bytes long: \(text.prefix(300))…") }
        if text.utf8.contains(0) { failures.append("a rendered diagnostic holds a NUL byte") }
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
    let failures = Isolated.run { findings(diagnose(bytes), code: code, at: location, count: count, incomplete: incomplete) }
    for f in failures { Issue.record(Comment(rawValue: "\(label): \(f)"), sourceLocation: sourceLocation) }
}

/// The input is sound: no diagnostics at all.
private func expectClean(_ source: String, label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let failures = Isolated.run { () -> [String] in
        let diagnostics = diagnose(Array(source.utf8))
        return diagnostics.isEmpty ? [] : ["expected no diagnostics: " + findings(diagnostics, code: nil, at: nil, count: 0, incomplete: nil).joined(separator: "; ")]
    }
    for f in failures { Issue.record(Comment(rawValue: "\(label): \(f)"), sourceLocation: sourceLocation) }
}

/// Anything but a crash or a hang; diagnostics, if any, must have a place.
private func expectNoCrash(_ source: String, label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let failures = Isolated.run { () -> [String] in
        let diagnostics = diagnose(Array(source.utf8))
        return diagnostics.isEmpty ? [] : findings(diagnostics, code: nil, at: nil, count: nil, incomplete: nil)
    }
    for f in failures { Issue.record(Comment(rawValue: "\(label): \(f)"), sourceLocation: sourceLocation) }
}

// MARK: - Isolation

/// Runs a check in a forked child process and returns what it found, plus a failure when the
/// child crashed or ran out of time or memory.
///
/// The child runs the check on a thread with an 8 MB stack, the size of the main thread the
/// `tms` binary parses on, so stack depth matches the real program whatever thread the test
/// runner uses. It gets `timeLimit` seconds and `memoryLimit` bytes more than it started with
/// (the inputs here need under 100 MB): a parser that loops while collecting diagnostics fills
/// memory fast, and must not take the machine with it. The child computes plain strings, since `#expect` cannot report from
/// another process.
private enum Isolated {
    static let timeLimit: UInt32 = 30
    static let memoryLimit = 256 << 20
    static let stackSize = 8 << 20

    static func run(_ body: @escaping () -> [String]) -> [String] {
        // A forked child can also hang on a lock that another thread of the test process held
        // at the fork, which has nothing to do with the input (seen under load): a hang counts
        // only when the input hangs a second child too.
        let first = attempt(body)
        guard first.hung else { return first.failures }
        return attempt(body).failures
    }

    private static func attempt(_ body: @escaping () -> [String]) -> (failures: [String], hung: Bool) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return (["pipe() failed"], false) }
        let pid = fork()
        if pid < 0 { return (["fork() failed"], false) }
        if pid == 0 {
            // First, before anything that could wait on a lock another thread held at the fork
            // (the child would hang, and the test run with it): the time limit.
            alarm(timeLimit)
            close(fds[0])
            quiet()
            limitMemory()
            let failures = onLargeStack(body)
            let bytes = Array(failures.joined(separator: "\n").utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
                if n <= 0 { break }
                written += n
            }
            _exit(0)
        }
        close(fds[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 { break }
            output += buffer[0..<n]
        }
        close(fds[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        var failures = output.isEmpty ? [] : String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        let signal = status & 0x7F
        if signal == SIGALRM {
            failures.append("did not finish within \(timeLimit) s: a hang")
        } else if signal != 0 {
            let why = signal == SIGSEGV ? " (a stack overflow?)" : " (out of memory past the \(memoryLimit >> 20) MB allowed, or a trap)"
            failures.append("crashed with signal \(signal)\(why)")
        } else if (status >> 8) & 0xFF != 0 {
            failures.append("the child exited with code \((status >> 8) & 0xFF)")
        }
        return (failures, signal == SIGALRM)
    }

    /// A crash of the child is reported by the parent in one line: no backtrace on stderr.
    static func quiet() {
        for s in [SIGALRM, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] { signal(s, SIG_DFL) }
        let null = open("/dev/null", O_WRONLY)
        if null >= 0 { dup2(null, 2) }
    }

    static func limitMemory() {
        // The first field of statm is the size of the address space, in pages.
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard n > 0, let pages = Int(String(decoding: buffer[0..<n].prefix(while: { $0 != 0x20 }), as: UTF8.self)) else { return }
        let bytes = rlim_t(pages * sysconf(Int32(_SC_PAGESIZE)) + memoryLimit)
        var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
        setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
    }

    final class Job {
        let body: () -> [String]
        var result: [String] = []

        init(_ body: @escaping () -> [String]) {
            self.body = body
        }
    }

    static func onLargeStack(_ body: @escaping () -> [String]) -> [String] {
        let job = Job(body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, stackSize)
        var thread = pthread_t()
        let started = pthread_create(&thread, &attributes, { context in
            let job = Unmanaged<Job>.fromOpaque(context!).takeUnretainedValue()
            job.result = job.body()
            return nil
        }, Unmanaged.passUnretained(job).toOpaque())
        guard started == 0 else { return body() }
        pthread_join(thread, nil)
        return job.result
    }
}
#endif
