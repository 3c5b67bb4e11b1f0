#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A relative path in a script is taken relative to the script's own folder, so a script
/// finds its data wherever it is run from; elsewhere (command line, REPL) relative to the
/// current directory.
func resolvePath(_ path: String, relativeTo file: SourceFile) -> String {
    if path.hasPrefix("/") { return path }
    if path.hasPrefix("~/"), let home = getenv("HOME") { return String(cString: home) + path.dropFirst() }
    let name = file.name
    guard !name.hasPrefix("<"), let slash = name.lastIndex(of: "/") else { return path }
    return String(name[...slash]) + path
}

func systemError() -> String {
    String(cString: strerror(errno))
}

/// The whole contents of a file; an error names the file, and points at `span` when the file
/// was named in a script.
public func readFile(_ path: String, span: Span? = nil) throws -> [UInt8] {
    let buffer = try ByteBuffer(contentsOf: path, span: span)
    return Array(buffer.bytes)
}

/// Bytes in memory that stays put, so a streaming reader can hold a pointer into it.
final class ByteBuffer {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    let count: Int

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: storage[0..<count]) }

    init(_ bytes: [UInt8]) {
        storage = .allocate(capacity: max(1, bytes.count))
        _ = storage.initialize(from: bytes)
        count = bytes.count
    }

    init(contentsOf path: String, span: Span?) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw TMSError(.fileError(span, "cannot open '\(path)': \(systemError())")) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw TMSError(.fileError(span, "cannot read '\(path)': \(systemError())")) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw TMSError(.fileError(span, "cannot open '\(path)': it is a directory"))
        }
        var capacity = max(4096, Int(st.st_size) + 1)
        var buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity)
        var used = 0
        while true {
            if used == capacity {
                let bigger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: capacity * 2)
                _ = bigger.initialize(from: buffer[0..<used])
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let n = read(fd, buffer.baseAddress.map { $0 + used }, capacity - used)
            if n < 0 {
                if errno == EINTR { continue }
                let reason = systemError()
                buffer.deallocate()
                throw TMSError(.fileError(span, "cannot read '\(path)': \(reason)"))
            }
            if n == 0 { break }
            used += n
        }
        storage = buffer
        count = used
    }

    deinit { storage.deallocate() }
}

/// Writes a file all at once: to a temporary file created exclusively beside it (`O_EXCL`,
/// never through a symlink), then moved into place, so a failure never leaves half a file
/// and no other process's file or link is written through. Without `replace`, an existing
/// file (or link) is never overwritten: the move is a `link`, which fails when the name is
/// taken, so even a file that appears meanwhile is kept.
func writeFileAtomically(_ path: String, _ bytes: [UInt8], replace: Bool, span: Span) throws {
    let folder = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
    let base = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    func failure(_ reason: String) -> TMSError {
        TMSError(.fileError(span, "cannot write '\(path)': \(reason)"))
    }
    if !replace, lstatExists(path) {
        throw TMSError(.fileExists(span, path))
    }
    var fd: Int32 = -1
    var temporary = ""
    for _ in 0..<8 {
        temporary = folder + ".\(base).tms-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        if fd >= 0 || errno != EEXIST { break }
    }
    guard fd >= 0 else { throw failure(systemError()) }
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            let reason = systemError()
            close(fd)
            unlink(temporary)
            throw failure(reason)
        }
        written += n
    }
    if fsync(fd) != 0 || close(fd) != 0 {
        let reason = systemError()
        unlink(temporary)
        throw failure(reason)
    }
    if replace {
        if rename(temporary, path) != 0 {
            let reason = systemError()
            unlink(temporary)
            throw failure(reason)
        }
    } else {
        defer { unlink(temporary) }
        if link(temporary, path) != 0 {
            if errno == EEXIST { throw TMSError(.fileExists(span, path)) }
            throw failure(systemError())
        }
    }
}

/// Whether a name exists, a dangling symlink included.
func lstatExists(_ path: String) -> Bool {
    var st = stat()
    return lstat(path, &st) == 0
}

/// The real time, in unix seconds.
func realTime() -> Int {
    Int(time(nil))
}

func fileExists(_ path: String) -> Bool {
    access(path, F_OK) == 0
}
