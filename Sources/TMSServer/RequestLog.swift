import Synchronization

/// The one line per request `tms serve` logs, gathered in memory and written by a background
/// task a few times a second, so that answering a request never waits for a write to stderr.
/// A line is at most `interval` late; at shutdown whatever is left is written.
final class RequestLog: Sendable {
    private let pending = Mutex<[String]>([])
    private let write: @Sendable (String) -> Void
    static let interval = Duration.milliseconds(200)
    /// Past this many waiting lines the one adding a line writes them all, so a flood of
    /// requests cannot grow the buffer without bound.
    static let most = 4096

    init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    func add(_ line: String) {
        let full: [String]? = pending.withLock { lines in
            lines.append(line)
            guard lines.count >= RequestLog.most else { return nil }
            defer { lines.removeAll(keepingCapacity: true) }
            return lines
        }
        if let full { write(full.joined(separator: "\n") + "\n") }
    }

    /// Writes what is waiting.
    func flush() {
        let lines = pending.withLock { lines in
            defer { lines.removeAll(keepingCapacity: true) }
            return lines
        }
        if !lines.isEmpty { write(lines.joined(separator: "\n") + "\n") }
    }

    /// Flushes every `interval` until cancelled, then once more.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: RequestLog.interval)
            flush()
        }
        flush()
    }
}
