// The child process of BadInputTests: checks one script as `tms FILE` does and prints the
// verdict, for the test to judge. Started with posix_spawn (never a fork of the test process,
// whose other threads may hold locks), so an input that crashes or hangs the parser fails its
// own test and nothing else.
//
//     BadInputChecker FILE SECONDS MEGABYTES
//
// The check runs on the main thread, whose stack is the size the `tms` binary parses on. The
// process dies by SIGALRM after SECONDS, and cannot take more than MEGABYTES of memory more
// than it started with (a parser that loops while collecting diagnostics fills memory fast).
// Prints `incomplete 0|1`, then one line a diagnostic: code, line, column (empty when it has
// none), the bytes of its rendering, 1 when the rendering holds a NUL byte, and its message,
// separated by tabs (tabs, newlines and backslashes in the message escaped). Renderings are
// measured for the first 5 diagnostics only, as the test asks.
#if canImport(Glibc)
import Glibc
import TMS
import TrackingMore

let arguments = CommandLine.arguments
guard arguments.count == 4, let seconds = UInt32(arguments[2]), let megabytes = Int(arguments[3]) else {
    emit("usage: BadInputChecker FILE SECONDS MEGABYTES\n", to: 2)
    exit(2)
}
alarm(seconds)
limitMemory(extra: megabytes << 20)
guard let bytes = readFile(arguments[1]) else {
    emit("BadInputChecker: cannot read \(arguments[1])\n", to: 2)
    exit(2)
}
let diagnostics = Interpreter().check(SourceFile(name: "bad.tms", bytes: bytes)).1
var out = "incomplete\t\(Parser.isIncomplete(diagnostics) ? 1 : 0)\n"
for (i, d) in diagnostics.enumerated() {
    let place = d.lineColumn.map { ["\($0.line)", "\($0.column)"] } ?? ["", ""]
    var rendering = ["0", "0"]
    if i < 5 {
        let text = DiagnosticRenderer().render(d)
        rendering = ["\(text.utf8.count)", text.utf8.contains(0) ? "1" : "0"]
    }
    let message = d.message.replacingAll("\\", with: "\\\\").replacingAll("\t", with: "\\t").replacingAll("\n", with: "\\n")
    out += ([d.code] + place + rendering + [message]).joined(separator: "\t") + "\n"
}
guard emit(out, to: 1) else { exit(3) }
exit(0)

@discardableResult
func emit(_ text: String, to fd: Int32) -> Bool {
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0, errno == EINTR { continue }
        if n <= 0 { return false }
        written += n
    }
    return true
}

func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0, errno == EINTR { continue }
        if n < 0 { return nil }
        if n == 0 { return bytes }
        bytes += buffer[0..<n]
    }
}

/// The address space this process has now, plus `extra` bytes, is all it may have.
func limitMemory(extra: Int) {
    // The first field of statm is the size of the address space, in pages.
    guard let statm = readFile("/proc/self/statm"),
          let pages = Int(String(decoding: statm.prefix(while: { $0 != 0x20 }), as: UTF8.self))
    else { return }
    let bytes = rlim_t(pages * sysconf(Int32(_SC_PAGESIZE)) + extra)
    var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
    setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
}
#endif
