import TMS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What tms knows of the terminal it runs in.
struct Terminal {
    let stdinIsTerminal = isatty(0) == 1
    let stdoutIsTerminal = isatty(1) == 1
    let stderrIsTerminal = isatty(2) == 1
    let environment: [String: String]

    init() {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        environment = env
    }

    /// Where tms keeps its files (XDG), from this environment.
    var paths: Paths { Paths(environment: environment) }

    /// Columns for tables: the terminal's width, else `COLUMNS`, else 120. Output that is not
    /// a terminal (a file, a pipe) is never cut to a width.
    var width: Int {
        guard stdoutIsTerminal else { return Terminal.unlimitedWidth }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let c = environment["COLUMNS"], let n = Int(c), n > 0 { return n }
        return 120
    }

    static let unlimitedWidth = 1 << 30
}

/// Buffers stdout so a large result is written in a few system calls.
final class OutputBuffer {
    let fd: Int32
    var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        writeAll(fd, buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

func writeAll(_ fd: Int32, _ text: String) {
    writeAll(fd, Array(text.utf8))
}

func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return  // stdout closed (e.g. `| head`): nothing more to say
        }
        offset += n
    }
}

/// Everything readable from a file descriptor.
func readAll(_ fd: Int32) throws -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw TMSError(Diagnostic(code: "E0209", message: "cannot read stdin: \(String(cString: strerror(errno)))"))
        }
        if n == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<n])
    }
}

/// Output taller than the terminal goes through a pager (`$PAGER`, `less -FRX` by default).
enum Pager {
    static func show(_ text: String, pager: String?) {
        guard !text.isEmpty else { return }
        var size = winsize()
        let rows = ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_row > 0 ? Int(size.ws_row) : 24
        let lines = text.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        guard let pager, lines >= rows, let pipe = popen(pager, "w") else {
            writeAll(1, text)
            return
        }
        // The pager owns the terminal now: Ctrl-C belongs to it, not to tms.
        signal(SIGPIPE, SIG_IGN)
        fputs(text, pipe)
        pclose(pipe)
    }
}
