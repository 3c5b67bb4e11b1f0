#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The part of a file a reader still needs, read in chunks as the reader asks for more.
///
/// `open` reads records through this, so memory stays at a chunk (or the largest record,
/// if bigger) whatever the size of the file: a reader parses from `bytes` at `start`, moves
/// `start` past each record it hands out, and when a record runs past the end calls
/// `refill()`: the bytes before `start` are dropped and more are read after the rest. Line
/// numbers stay those of the whole file, for error messages.
final class ByteWindow {
    /// How much is read at a time, unless told otherwise.
    static let defaultChunkSize = 1 << 20
    /// The largest single record (an array element, a line, a CSV row, or a whole document
    /// that is not an array): beyond it the data is refused instead of filling memory.
    static let recordLimit = 256 << 20

    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes of `storage` that hold data.
    private(set) var count = 0
    /// Where the data a reader has not consumed yet begins; `refill` keeps the bytes from
    /// here on, which then begin at 0.
    var start = 0
    /// True when everything has been read: `bytes` holds the rest of the data.
    private(set) var atEnd = false
    /// Newlines in the bytes dropped so far, and the offset (in the whole data) of the byte
    /// after the last of them.
    private var droppedLines = 0
    private var droppedLineStart = 0
    /// How many bytes before `bytes` were dropped: the offset in the whole data of `bytes[0]`.
    private(set) var dropped = 0
    private let fd: Int32
    let name: String
    let span: Span?
    let limit: Int
    let chunkSize: Int

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    /// A window on the file at `path`; nothing is read yet.
    init(path: String, name: String, span: Span?, chunkSize: Int = ByteWindow.defaultChunkSize, limit: Int = ByteWindow.recordLimit) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw TMSError(.fileError(span, "cannot open '\(path)': \(systemError())")) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw TMSError(.fileError(span, "cannot open '\(path)': it is a directory"))
        }
        self.fd = fd
        self.name = name
        self.span = span
        self.limit = limit
        self.chunkSize = chunkSize
        capacity = chunkSize
        storage = .allocate(capacity: capacity)
    }

    /// A window on bytes already in memory (standard input given as `$in`).
    init(_ data: [UInt8], name: String) {
        fd = -1
        self.name = name
        span = nil
        limit = Int.max
        chunkSize = ByteWindow.defaultChunkSize
        capacity = max(1, data.count)
        storage = .allocate(capacity: capacity)
        storage.initialize(from: data, count: data.count)
        count = data.count
        atEnd = true
    }

    deinit {
        storage.deallocate()
        if fd >= 0 { close(fd) }
    }

    /// Drops the bytes before `start` (which becomes 0) and reads more after the rest. False
    /// when there is no more (`atEnd`; nothing moves then). Throws when the file cannot be
    /// read, or when the record at `start` is longer than the limit.
    @discardableResult
    func refill() throws -> Bool {
        guard !atEnd else { return false }
        if start > 0 {
            countLines(upTo: start)
            let rest = count - start
            if rest > 0 { storage.update(from: storage + start, count: rest) }
            count = rest
            dropped += start
            start = 0
        }
        if capacity - count < max(1, chunkSize / 4) {
            guard count < limit else {
                throw TMSError(.badData(span, "\(name) has a record longer than \(limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit) bytes") at line \(line(at: dropped).line): tms reads a file a record at a time and stops there"))
            }
            let bigger = min(capacity * 2, limit + chunkSize)
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
            larger.initialize(from: storage, count: count)
            storage.deallocate()
            storage = larger
            capacity = bigger
        }
        while true {
            let n = read(fd, storage + count, capacity - count)
            if n < 0 {
                if errno == EINTR { continue }
                throw TMSError(.fileError(span, "cannot read '\(name)': \(systemError())"))
            }
            if n == 0 {
                atEnd = true
                return false
            }
            count += n
            return true
        }
    }

    private func countLines(upTo end: Int) {
        var lines = 0
        var last = -1
        // memchr jumps from newline to newline: a record is a line or a few, not a byte each.
        var from = 0
        while from < end, let hit = memchr(storage + from, 0x0A, end - from) {
            last = storage.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            lines &+= 1
            from = last + 1
        }
        droppedLines += lines
        if last >= 0 { droppedLineStart = dropped + last + 1 }
    }

    /// The 1-based line and column (in bytes) of `offset` in the whole data (which must still
    /// be in the window).
    func line(at offset: Int) -> (line: Int, column: Int) {
        var line = droppedLines + 1
        var lineStart = droppedLineStart
        let b = bytes
        for i in 0..<min(max(0, offset - dropped), count) where b[i] == 0x0A {
            line += 1
            lineStart = dropped + i + 1
        }
        return (line, offset - lineStart + 1)
    }
}
