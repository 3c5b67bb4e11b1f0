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
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var reader = JSONReader(buffer)
            let value = try reader.parseDocument()
            return value
        }
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
        var keys: [String] = []
        var values: [JSON] = []
        // Objects at one depth tend to have the same size (records of one file): reserve that.
        let hint = sizeHint(depth)
        keys.reserveCapacity(hint)
        values.reserveCapacity(hint)
        var index: [String: Int] = [:]
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .record(Record())
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON: unclosed '{'") }
            guard bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key in object") }
            let key = try parseKey()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                throw error("expected ':' after object key")
            }
            position += 1
            let value = try parseValue()
            // The last of duplicate keys wins, as in most parsers. Records have few fields, so
            // a search of the keys before is cheapest; a huge object gets an index.
            if keys.count >= 32 && index.isEmpty {
                for (i, k) in keys.enumerated() { index[k] = i }
            }
            if let i = index.isEmpty ? keys.firstIndex(of: key) : index[key] {
                values[i] = value
            } else {
                if !index.isEmpty { index[key] = keys.count }
                keys.append(key)
                values.append(value)
            }
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of JSON: unclosed '{'") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                recordSize(depth, keys.count)
                return .record(Record(uniqueKeys: keys, values: values))
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

    /// Object keys repeat in every record of a file; the same key text gets the same String,
    /// found by a small hash of its bytes, instead of a new one each time.
    private mutating func parseKey() throws(JSONParseError) -> String {
        let start = position + 1
        var end = start
        while end < bytes.count {
            let b = bytes[end]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\""), end - start <= 64 else { return try parseString() }
        var hash = end - start
        for i in start..<end { hash = (hash &* 31) &+ Int(bytes[i]) }
        let slot = hash & (keyCache.count - 1)
        if let cached = keyCache[slot], cached.bytes.count == end - start,
            let base = bytes.baseAddress, cached.bytes.withUnsafeBytes({ $0.baseAddress.map { memcmp($0, base + start, end - start) == 0 } ?? true })
        {
            position = end + 1
            return cached.key
        }
        let key = try parseString()
        keyCache[slot] = (key, Array(bytes[start..<end]))
        return key
    }

    /// Keys met lately, each with its UTF-8 bytes to compare with the next key at once.
    private var keyCache = [(key: String, bytes: [UInt8])?](repeating: nil, count: 256)

    /// The size of the last object or array closed at each depth (up to 16 levels).
    private var sizes = [Int](repeating: 0, count: 16)

    private func sizeHint(_ depth: Int) -> Int {
        depth < sizes.count ? min(sizes[depth], 64) : 0
    }

    private mutating func recordSize(_ depth: Int, _ count: Int) {
        if depth < sizes.count { sizes[depth] = count }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw error("JSON nested deeper than \(maxDepth) levels") }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        position += 1  // opening quote
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let b = bytes[position]
            if b == UInt8(ascii: "\"") {
                let s = try makeString(start, position)
                position += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in string") }
            position += 1
        }
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

    private func makeString(_ start: Int, _ end: Int) throws(JSONParseError) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        // ASCII is the common case in API data and needs no validation pass of its own (and
        // String(validating:) is not specialized: it looks up generic metadata every call).
        if !slice.contains(where: { $0 >= 0x80 }) { return String(decoding: slice, as: UTF8.self) }
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
        guard position + n <= bytes.count else { throw error("invalid literal") }
        let w = word.utf8Start
        for i in 0..<n where bytes[position + i] != w[i] { throw error("invalid literal") }
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
