/// A piece of tms source text: a script file, a `-c` line, a REPL entry, a sourced file.
///
/// The text is kept as UTF-8 bytes; tokens and spans are byte ranges into it. Lines and
/// columns are computed only when a diagnostic is rendered.
public final class SourceFile: Sendable {
    /// The name diagnostics show: a path, `<command line>`, `<repl #3>`.
    public let name: String
    public let bytes: [UInt8]
    /// Byte offsets where each line starts.
    let lineStarts: [Int]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i + 1) }
        self.lineStarts = starts
    }

    public convenience init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// 1-based line of a byte offset.
    public func line(of offset: Int) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// 1-based line and column of a byte offset; the column counts characters, not bytes.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let line = line(of: offset)
        let start = lineStarts[line - 1]
        let end = min(offset, bytes.count)
        let column = String(decoding: bytes[start..<max(start, end)], as: UTF8.self).count + 1
        return (line, column)
    }

    /// The bytes of a 1-based line, without its newline.
    public func lineBytes(_ line: Int) -> ArraySlice<UInt8> {
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return bytes[start..<max(start, end)]
    }

    /// The source text of a span.
    public func text(_ span: Span) -> String {
        String(decoding: bytes[span.start..<span.end], as: UTF8.self)
    }
}

/// A byte range in one source file.
public struct Span: Sendable, Hashable {
    public var file: SourceFile
    public var start: Int
    public var end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both.
    public func to(_ other: Span) -> Span {
        Span(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var text: String { file.text(self) }

    public static func == (a: Span, b: Span) -> Bool {
        a.file === b.file && a.start == b.start && a.end == b.end
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(file))
        hasher.combine(start)
        hasher.combine(end)
    }
}
