import GRDB
import Synchronization

/// Read-only connections to the database file, one per request reading at a time, each a GRDB
/// `DatabaseQueue`. `DatabasePool` gives the same concurrent WAL readers, but takes each from
/// its pool through a concurrent queue's barrier, a semaphore, a dispatch group and a lock, and
/// gives it back the same way: a sixth of a keyed GET in tms serve. Here a free connection is
/// taken from a list under a mutex; a new one is opened when none is free, so there are never
/// more than the reads that ran at once.
final class Readers: Sendable {
    private let free = Mutex<[DatabaseQueue]>([])
    private let path: String
    private let configuration: Configuration

    init(path: String, configuration: Configuration) {
        self.path = path
        var configuration = configuration
        configuration.readonly = true
        self.configuration = configuration
    }

    /// Runs `body` on a free connection, outside any transaction (the caller opens one).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try free.withLock { $0.popLast() } ?? DatabaseQueue(path: path, configuration: configuration)
        defer { free.withLock { $0.append(queue) } }
        return try queue.unsafeRead(body)
    }
}
