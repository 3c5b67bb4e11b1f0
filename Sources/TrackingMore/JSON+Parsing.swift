import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error in JSON text, with the position of the offending byte.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Byte offset into the text.
    public var offset: Int
    /// 1-based line and column (column counted in bytes of that line).
    public var line: Int
    public var column: Int

    public var description: String { "\(message) at line \(line), column \(column)" }
}

extension JSON {
    /// Parses one JSON document from UTF-8 bytes.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSON {
        // Read where they are when they are contiguous (an array, an answer's buffer), else
        // from a copy.
        let read = { (buffer: UnsafeBufferPointer<UInt8>) in
            Result { () throws(JSONParseError) in
                var reader = JSONReader(buffer)
                // What the last readers learnt of the data's shape, handed on: the answers
                // of one API, or the requests to one server, are of a few shapes.
                if let learned = JSONReader.learnt.withLock({ $0.popLast() }) { reader.learned = learned }
                defer {
                    let learned = reader.learned
                    if learned.isSmall { JSONReader.learnt.withLock { if $0.count < 4 { $0.append(learned) } } }
                }
                return try reader.parseDocument()
            }
        }
        return try (bytes.withContiguousStorageIfAvailable(read) ?? Array(bytes).withUnsafeBufferPointer(read)).get()
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        try parse(Array(text.utf8))
    }
}

/// Reads JSON straight from UTF-8 bytes into `JSON` values, without Foundation.
///
/// Besides whole documents it reads the elements of a top-level array one at a time
/// (`beginArray`/`nextElement`), so that `open` can stream a large file.
public struct JSONReader {
    var bytes: UnsafeBufferPointer<UInt8>
    public private(set) var position: Int = 0
    let maxDepth = 512
    var depth = 0

    /// False leaves an error's line and column 0, for a caller that places errors itself:
    /// finding the line counts the newlines of everything before the error, and a reader of a
    /// file in chunks meets an "error" at every chunk's end (a value cut short, parsed again).
    public var locatesErrors = true

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Moves the reader to other bytes (the next part of a file read in chunks), keeping
    /// what it has learnt of the data's shape: its key strings and record sizes.
    public mutating func rebase(_ bytes: UnsafeBufferPointer<UInt8>, position: Int) {
        self.bytes = bytes
        self.position = position
        depth = 0
    }

    public var atEnd: Bool {
        mutating get {
            skipWhitespace()
            return position >= bytes.count
        }
    }

    public mutating func parseDocument() throws(JSONParseError) -> JSON {
        let value = try parseValue()
        skipWhitespace()
        if position < bytes.count { throw error("unexpected text after the JSON value") }
        return value
    }

    /// Parses the next value and leaves the reader after it (for JSON lines and streams).
    public mutating func parseValue() throws(JSONParseError) -> JSON {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of JSON") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(printable(bytes[position]))'")
        }
    }

    /// If the next value is an array, steps into it and returns true.
    public mutating func beginArray() -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "[") else { return false }
        position += 1
        firstElement = true
        return true
    }

    var firstElement = true

    /// The next element of the array entered with `beginArray`, or nil after its `]`.
    public mutating func nextElement() throws(JSONParseError) -> JSON? {
        skipWhitespace()
        guard position < bytes.count else { throw error("unexpected end of JSON: unclosed '['") }
        if bytes[position] == UInt8(ascii: "]") {
            position += 1
            skipWhitespace()
            if position < bytes.count { throw error("unexpected text after the JSON value") }
            return nil
        }
        if !firstElement {
            guard bytes[position] == UInt8(ascii: ",") else { throw error("expected ',' or ']' in array") }
            position += 1
        }
        firstElement = false
        return try parseValue()
    }

    // MARK: - Values

    private mutating func parseObject() throws(JSONParseError) -> JSON {
        try enter()
        defer { depth -= 1 }
        position += 1
        // While the keys are those of the last object closed at this depth, in its order (the
        // records of one answer or file), they are matched against its text where they stand:
        // no key is read into a string, none can repeat one before it (that object's keys
        // were all different), and the record shares that object's keys.
        let expected = depth < learned.shapes.count ? learned.shapes[depth] : KeyShape()
        var following = true
        var followed = 0
        var keys: [String] = []
        var values: [JSON] = []
        // Objects at one depth tend to have the same size (records of one file): reserve that.
        let hint = sizeHint(depth)
        values.reserveCapacity(hint)
        var index: [String: Int] = [:]
        // This object's key prints go on the reader's stack, above those of the objects it
        // is in, and come off when it is done (or fails).
        let printsBase = keyPrints.count
        defer { keyPrints.removeSubrange(printsBase...) }
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .record(Record())
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON: unclosed '{'") }
            guard bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key in object") }
            var read: (key: String, print: Int)?
            if following, let end = expected.match(followed, in: bytes, at: position) {
                position = end
            } else {
                if following {
                    following = false
                    keys.reserveCapacity(hint)
                    keys.append(contentsOf: expected.keys[..<followed])
                    keyPrints.append(contentsOf: expected.prints[..<followed])
                }
                read = try parseKey()
            }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after object key")
            }
            position += 1
            let value = try parseValue()
            if let (key, print) = read {
                // The last of duplicate keys wins, as in most parsers. Records have few fields,
                // so a search of the keys before is cheapest; a huge object gets an index.
                if keys.count >= 32 && index.isEmpty {
                    for (i, k) in keys.enumerated() { index[k] = i }
                }
                if let i = index.isEmpty ? earlierIndex(of: key, print, in: keys, printsBase) : index[key] {
                    values[i] = value
                } else {
                    if !index.isEmpty { index[key] = keys.count }
                    keys.append(key)
                    values.append(value)
                    keyPrints.append(print)
                }
            } else {
                values.append(value)
                followed += 1
            }
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON: unclosed '{'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                recordSize(depth, values.count)
                if following {
                    if followed == expected.keys.count {
                        return .record(Record(uniqueKeys: expected.keys, values: values, keysAreASCII: expected.isPlain))
                    }
                    keys = Array(expected.keys[..<followed])
                    keyPrints.append(contentsOf: expected.prints[..<followed])
                }
                let shape = KeyShape(keys, prints: keyPrints[printsBase...])
                if depth < learned.shapes.count { learned.shapes[depth] = shape }
                return .record(Record(uniqueKeys: keys, values: values, keysAreASCII: shape.isPlain))
            }
            throw error("expected ',' or '}' in object")
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSON {
        try enter()
        defer { depth -= 1 }
        position += 1
        var items: [JSON] = []
        items.reserveCapacity(sizeHint(depth))
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .list(items)
        }
        while true {
            items.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON: unclosed '['") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                recordSize(depth, items.count)
                return .list(items)
            }
            throw error("expected ',' or ']' in array")
        }
    }

    /// The index of the key among `keys` (this object's so far) equal to `key`, if one is.
    ///
    /// Swift compares strings by canonical equivalence, so two different byte sequences can
    /// be equal ("\u{212A}" and "K"); but ASCII text is only ever equal to another ASCII text
    /// byte for byte. So when both keys are ASCII with different prints they differ, without
    /// a comparison of the strings; any other pair is compared as strings.
    private func earlierIndex(of key: String, _ print: Int, in keys: [String], _ printsBase: Int) -> Int? {
        for i in keys.indices {
            let other = keyPrints[printsBase + i]
            if print != JSONReader.noPrint, other != JSONReader.noPrint, other != print { continue }
            if keys[i] == key { return i }
        }
        return nil
    }

    /// Object keys repeat in every record of a file; the same key text gets the same String,
    /// found by a small hash of its bytes, instead of a new one each time.
    ///
    /// Returns the key with its print: a hash of its bytes when it is ASCII written without
    /// escapes (equal prints for equal bytes), else `noPrint`.
    private mutating func parseKey() throws(JSONParseError) -> (String, print: Int) {
        let start = position + 1
        var end = start
        var hash = 0
        var high: UInt8 = 0
        while end < bytes.count {
            let b = bytes[end]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            hash = (hash &* 31) &+ Int(b)
            high |= b
            end += 1
        }
        let length = end - start
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\""), length <= 64 else { return (try parseString(), JSONReader.noPrint) }
        hash = (hash &* 31) &+ length
        let print = high < 0x80 ? hash & Int.max : JSONReader.noPrint
        let slot = hash & (learned.keyCache.count - 1)
        if let cached = learned.keyCache[slot], cached.bytes.count == length,
            let base = bytes.baseAddress, cached.bytes.withUnsafeBytes({ $0.baseAddress.map { memcmp($0, base + start, length) == 0 } ?? true })
        {
            position = end + 1
            return (cached.key, print)
        }
        let key = try parseString()
        learned.keyCache[slot] = (key, Array(bytes[start..<end]))
        return (key, print)
    }

    /// The print of a key that is not plain ASCII: it is compared as a string.
    private static let noPrint = -1

    /// What a reader learns of the data's shape as it reads, which the next reader of like
    /// data starts from (`JSON.parse` hands it on): the strings of the keys met lately, the
    /// keys and sizes of the last object closed at each depth. It only ever makes reading
    /// faster: each key is matched against the bytes before it is taken.
    struct Learned: Sendable {
        /// Keys met lately, each with its UTF-8 bytes to compare with the next key at once.
        var keyCache = [(key: String, bytes: [UInt8])?](repeating: nil, count: 64)
        /// The keys of the last object closed at each depth (up to 16 levels).
        var shapes = [KeyShape](repeating: KeyShape(), count: 16)
        /// The size of the last object or array closed at each depth (up to 16 levels).
        var sizes = [Int](repeating: 0, count: 16)

        /// Small enough to keep between readers: no object of many keys.
        var isSmall: Bool { shapes.allSatisfy { $0.keys.count <= 64 } }
    }

    var learned = Learned()

    /// The learning of readers that have finished, for the next ones (at most four).
    static let learnt = Mutex<[Learned]>([])

    /// The prints of the keys of the objects being read, innermost last.
    private var keyPrints: [Int] = []

    /// The keys of an object, with the text of those at its start that are plain (ASCII
    /// without escapes: their text is their UTF-8) to match the next object's keys against.
    struct KeyShape {
        var keys: [String] = []
        var prints: [Int] = []
        /// The UTF-8 of the plain keys one after the other, and where each ends.
        var text: [UInt8] = []
        var ends: [Int] = []

        init() {}

        init(_ keys: [String], prints: ArraySlice<Int>) {
            self.keys = keys
            self.prints = Array(prints)
            for (key, print) in zip(keys, prints) {
                guard print != JSONReader.noPrint else { break }
                // The contiguous UTF-8 at once (appending the UTF8View goes byte by byte).
                if key.utf8.withContiguousStorageIfAvailable({ text.append(contentsOf: $0) }) == nil {
                    text.append(contentsOf: key.utf8)
                }
                ends.append(text.count)
            }
        }

        /// Whether every key is plain (and so ASCII).
        var isPlain: Bool { ends.count == keys.count }

        /// When key `i` is plain and stands in quotes at `position`, the position after them.
        func match(_ i: Int, in bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Int? {
            guard i < ends.count else { return nil }
            let start = i == 0 ? 0 : ends[i - 1]
            let length = ends[i] - start
            let quote = position + 1 + length
            guard quote < bytes.count, bytes[quote] == UInt8(ascii: "\""), let base = bytes.baseAddress else { return nil }
            let same = text.withUnsafeBufferPointer { t in
                t.baseAddress.map { memcmp($0 + start, base + position + 1, length) == 0 } ?? (length == 0)
            }
            return same ? quote + 1 : nil
        }
    }

    private func sizeHint(_ depth: Int) -> Int {
        depth < learned.sizes.count ? min(learned.sizes[depth], 64) : 0
    }

    private mutating func recordSize(_ depth: Int, _ count: Int) {
        if depth < learned.sizes.count { learned.sizes[depth] = count }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw error("JSON nested deeper than \(maxDepth) levels") }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = position + 1  // after the opening quote
        // Fast path: no escapes. Plain ASCII is skipped eight bytes at a time; after that,
        // whether any byte is not ASCII is noted on the way. (A local index, not `position`,
        // which as a property is stored at every step.)
        var end = bytes.firstByte(from: start, UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\""), below: 0x20, nonASCII: true)
        var high: UInt8 = 0
        while end < bytes.count {
            let b = bytes[end]
            if b == UInt8(ascii: "\"") {
                position = end
                let s = try makeString(start, end, ascii: high < 0x80)
                position = end + 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 {
                position = end
                throw error("control character in string")
            }
            high |= b
            end += 1
        }
        position = end
        var buffer = Array(bytes[start..<position])
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                guard let s = String(validating: buffer, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string")
                }
                return s
            }
            if b < 0x20 { throw error("control character in string") }
            if b != UInt8(ascii: "\\") {
                buffer.append(b)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else { break }
            let e = bytes[position]
            position += 1
            switch e {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5C)
            case UInt8(ascii: "/"): buffer.append(0x2F)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    // A surrogate pair: \uD83D\uDE00.
                    guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                        bytes[position + 1] == UInt8(ascii: "u")
                    else { throw error("unpaired surrogate in \\u escape") }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                buffer.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                throw error("invalid escape '\\\(printable(e))' in string")
            }
        }
        throw error("unexpected end of JSON: unterminated string")
    }

    private func makeString(_ start: Int, _ end: Int, ascii: Bool) throws(JSONParseError) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        // ASCII is the common case in API data and needs no validation pass of its own (and
        // String(validating:) is not specialized: it looks up generic metadata every call).
        if ascii { return String(decoding: slice, as: UTF8.self) }
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw JSONParseError(
                message: "invalid UTF-8 in string", offset: start, line: lineOf(start).0, column: lineOf(start).1)
        }
        return s
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = Hex.value(bytes[position]) else { throw error("invalid hex digit in \\u escape") }
            v = v * 16 + UInt32(d)
            position += 1
        }
        return v
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var value = 0
        var digits = 0
        var overflow = false
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(bytes[position] - 0x30))
            overflow = overflow || o1 || o2
            value = a
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw error("invalid number") }
        var isFloat = false
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isFloat = true
            position += 1
            let before = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            if position == before { throw error("invalid number: no digits after '.'") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            isFloat = true
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            let before = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 { position += 1 }
            if position == before { throw error("invalid number: no digits in exponent") }
        }
        if !isFloat && !overflow { return .int(negative ? -value : value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let d = Double(text) else { throw error("invalid number") }
        return .double(d)
    }

    private mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard position + n <= bytes.count, let base = bytes.baseAddress, memcmp(base + position, word.utf8Start, n) == 0 else {
            throw error("invalid literal")
        }
        position += n
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    func printable(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }

    func lineOf(_ offset: Int) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }

    func error(_ message: String) -> JSONParseError {
        guard locatesErrors else { return JSONParseError(message: message, offset: position, line: 0, column: 0) }
        let (line, column) = lineOf(position)
        return JSONParseError(message: message, offset: position, line: line, column: column)
    }
}
