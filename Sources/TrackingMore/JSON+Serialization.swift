extension JSON {
    /// JSON text on one line, fields in record order.
    public var compactText: String {
        var sink = ByteSink(capacity: 256)
        writeCompact(to: &sink)
        return sink.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// JSON text indented by two spaces per level.
    public var prettyText: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    /// The UTF-8 bytes of `compactText`, as a request body is sent.
    public var bytes: [UInt8] {
        var sink = ByteSink(capacity: 256)
        writeCompact(to: &sink)
        return sink.array
    }

    /// Written to a buffer of its own, not to the array: appending to an array piece by piece
    /// checks its capacity and that it is not shared at every piece, which cost some 25
    /// instructions a byte of a batch's JSON.
    func writeCompact(to out: inout ByteSink) {
        switch self {
        case .null: out.append("null")
        case .bool(let b): out.append(b ? "true" : "false")
        case .int(let i): JSON.writeDecimal(i, to: &out)
        case .double(let d): out.append(JSON.format(d))
        case .string(let s): JSON.writeQuoted(s, to: &out)
        case .list(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.writeCompact(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .record(let r):
            out.append(UInt8(ascii: "{"))
            if let keys = out.keyText(for: r.keys) {
                for i in 0..<r.count {
                    keys.write(i, to: &out)
                    r.values[i].writeCompact(to: &out)
                }
            } else {
                for i in 0..<r.count {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    JSON.writeQuoted(r.keys[i], to: &out)
                    out.append(UInt8(ascii: ":"))
                    r.values[i].writeCompact(to: &out)
                }
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// An integer's digits, written as `String(i)` writes them, without making that string.
    static func writeDecimal(_ i: Int, to out: inout ByteSink) {
        out.reserve(20)
        out.count += decimal(i, into: out.end)
    }

    /// The same text as `String(i)`, made from its digits at once: the standard library's
    /// generic conversion took some 550 instructions for a tracking number sent as a number,
    /// which tms serve reads as text twice for each item of a batch.
    public static func decimalText(_ i: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            let count = decimal(i, into: buffer.baseAddress!)
            return String(decoding: UnsafeBufferPointer(start: buffer.baseAddress, count: count), as: UTF8.self)
        }
    }

    /// Writes an integer's digits (with a minus sign) at `start`, which has room for 20
    /// bytes; returns how many it wrote.
    @inline(__always)
    private static func decimal(_ i: Int, into start: UnsafeMutablePointer<UInt8>) -> Int {
        var magnitude = i.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var p = start
        if i < 0 {
            p.pointee = UInt8(ascii: "-")
            p += 1
        }
        let count = p - start + digits
        p += digits
        repeat {
            p -= 1
            p.pointee = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return count
    }

    /// A string in quotes, escaped as `writeQuoted(_:to: inout String)` escapes it.
    static func writeQuoted(_ s: String, to out: inout ByteSink) {
        // Native and small strings lend their UTF-8 without a copy of the string.
        if s.utf8.withContiguousStorageIfAvailable({ writeQuoted(utf8: $0, to: &out) }) == nil {
            var s = s
            s.withUTF8 { writeQuoted(utf8: $0, to: &out) }
        }
    }

    /// Most strings need no escape: they are copied eight bytes at a time, each word checked
    /// for a quote, a backslash or a control character on the way (the last word of a string
    /// of eight bytes or more overlaps the one before it; a shorter string is one word read
    /// in part). A string that has one is written again, escaped.
    @inline(__always)
    static func writeQuoted(utf8 text: UnsafeBufferPointer<UInt8>, to out: inout ByteSink) {
        let n = text.count
        // Room for the worst case, every byte a \u00XX, and for a whole last word, so that
        // the copy needs no checks.
        out.reserve(max(n * 6, n + 8) + 2)
        let start = out.end
        start.pointee = UInt8(ascii: "\"")
        let body = UnsafeMutableRawPointer(start + 1)
        if let base = text.baseAddress, n > 0 {
            let source = UnsafeRawPointer(base)
            let highs: UInt64 = 0x8080_8080_8080_8080
            let ones: UInt64 = 0x0101_0101_0101_0101
            // A quote, a backslash or a byte below 0x20 in the word: the high bit of its
            // byte (the usual zero-byte tests, as in `firstByte`).
            func special(_ x: UInt64) -> UInt64 {
                let quote = x ^ (ones &* 0x22), backslash = x ^ (ones &* 0x5C)
                return ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (x &- ones &* 0x20) & ~x) & highs
            }
            var clean = true
            if n >= 8 {
                var i = 0
                while i + 8 <= n {
                    let x = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    if special(x) != 0 { clean = false; break }
                    body.storeBytes(of: x, toByteOffset: i, as: UInt64.self)
                    i += 8
                }
                if clean, i < n {
                    let x = source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                    if special(x) != 0 { clean = false } else { body.storeBytes(of: x, toByteOffset: n - 8, as: UInt64.self) }
                }
            } else {
                var x: UInt64 = 0
                withUnsafeMutableBytes(of: &x) { $0.baseAddress!.copyMemory(from: source, byteCount: n) }
                // The bytes past the string are zeros, which are below 0x20: not looked at.
                if special(x) & (1 << (8 * UInt64(n)) - 1) != 0 { clean = false } else { body.storeBytes(of: x, as: UInt64.self) }
            }
            if !clean {
                out.count = escaped(text, to: start + 1) - out.base
                return
            }
        }
        start[n + 1] = UInt8(ascii: "\"")
        out.count += n + 2
    }

    /// Writes the string's bytes escaped from `p` on, and its closing quote; returns where
    /// writing stopped.
    private static func escaped(_ text: UnsafeBufferPointer<UInt8>, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = p
        let backslash = UInt8(ascii: "\\")
        func put(_ a: UInt8, _ b: UInt8) {
            p[0] = a
            p[1] = b
            p += 2
        }
        for u in text {
            switch u {
            case UInt8(ascii: "\""): put(backslash, u)
            case backslash: put(backslash, backslash)
            case 0x0A: put(backslash, UInt8(ascii: "n"))
            case 0x0D: put(backslash, UInt8(ascii: "r"))
            case 0x09: put(backslash, UInt8(ascii: "t"))
            case ..<0x20:
                put(backslash, UInt8(ascii: "u"))
                put(UInt8(ascii: "0"), UInt8(ascii: "0"))
                put(Hex.lower[Int(u >> 4)], Hex.lower[Int(u & 0xF)])
            default:
                p.pointee = u
                p += 1
            }
        }
        p.pointee = UInt8(ascii: "\"")
        return p + 1
    }

    func write(to out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += JSON.format(d)
        case .string(let s): JSON.writeQuoted(s, to: &out)
        case .list(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent, level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out += "]"
        case .record(let r):
            if r.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (i, (k, v)) in r.pairs.enumerated() {
                if i > 0 { out += "," }
                newline(&out, indent, level + 1)
                JSON.writeQuoted(k, to: &out)
                out += indent == nil ? ":" : ": "
                v.write(to: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out += "}"
        }
    }

    private func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    /// A double as JSON: integral values keep a `.0`, non-finite values become `null`.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d.description
    }

    static func writeQuoted(_ s: String, to out: inout String) {
        out += "\""
        var needsEscape = false
        for u in s.utf8 where u < 0x20 || u == 0x22 || u == 0x5C {
            needsEscape = true
            break
        }
        if !needsEscape {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                out += "\\u00" + Hex.encode(CollectionOfOne(UInt8(c.value)))
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension JSON: CustomStringConvertible {
    /// Strings as themselves, everything else as compact JSON: what `echo` and interpolation show.
    public var description: String {
        switch self {
        case .string(let s): return s
        case .null: return ""
        default: return compactText
        }
    }
}

/// Bytes written through a pointer into a buffer that grows by doubling: what the compact
/// JSON writer writes to, then copies out whole.
struct ByteSink: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    var count = 0
    private var capacity: Int
    /// The keys of the last record written, and their text once a record with the same keys
    /// came right after it (the items of a list: a batch's trackings, a CSV file's rows).
    private var lastKeys: [String] = []
    private var lastKeyText: KeyText?

    init(capacity: Int) {
        base = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    deinit { base.deallocate() }

    /// Where the next byte goes.
    var end: UnsafeMutablePointer<UInt8> { base + count }

    /// Makes room for `n` more bytes.
    @inline(__always)
    mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(to: count + n) }
    }

    private mutating func grow(to needed: Int) {
        let larger = max(needed, capacity * 2)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            reserve(bytes.count)
            if let from = bytes.baseAddress { end.update(from: from, count: bytes.count) }
            count += bytes.count
        }
    }

    var array: [UInt8] { withBytes { Array($0) } }

    /// The keys written as `"key":` (after a comma but for the first), for a record with the
    /// same keys as the one written before it; nil for the first of a run (whose keys are
    /// noted) and for records of fewer than two keys. Each key is then one copy of bytes
    /// instead of a string checked for escapes and quoted: a batch's answer has 40 trackings
    /// of 14 keys.
    mutating func keyText(for keys: [String]) -> KeyText? {
        guard keys.count >= 2 else { return nil }
        // Equal arrays are mostly the same array (a record's keys are shared with those
        // of its kind), which `==` finds without comparing the strings.
        guard keys == lastKeys else {
            lastKeys = keys
            lastKeyText = nil
            return nil
        }
        if let lastKeyText { return lastKeyText }
        let made = KeyText(keys)
        lastKeyText = made
        return made
    }

    /// The bytes written, valid only during `body`.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        reserve(bytes.count)
        bytes.withUnsafeBufferPointer { if let from = $0.baseAddress { end.update(from: from, count: $0.count) } }
        count += bytes.count
    }
}

extension Envelope {
    /// The envelope as the API sends it, `{"meta":{...},"data":...}` (`data` from
    /// `encodedData` when it has them), written straight to bytes and handed to `body`
    /// without a copy: valid only during the call.
    public func withWireBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var sink = ByteSink(capacity: 1024)
        sink.append(#"{"meta":{"code":"#)
        JSON.writeDecimal(meta.code, to: &sink)
        sink.append(#","type":"#)
        JSON.writeQuoted(meta.type, to: &sink)
        sink.append(#","message":"#)
        JSON.writeQuoted(meta.message, to: &sink)
        sink.append(#"},"data":"#)
        if let encodedData { sink.append(contentsOf: encodedData) } else { data.writeCompact(to: &sink) }
        sink.append(UInt8(ascii: "}"))
        return try sink.withBytes(body)
    }

    /// `withWireBytes`'s bytes, copied out.
    public var wireBytes: [UInt8] { withWireBytes { Array($0) } }
}

/// A record's keys written once as JSON, each with its colon and, but for the first, the
/// comma before it (`ByteSink.keyText(for:)`).
struct KeyText {
    let text: [UInt8]
    /// Where each key's text ends in `text`.
    let ends: [Int]

    init(_ keys: [String]) {
        var sink = ByteSink(capacity: 16 * keys.count)
        var ends: [Int] = []
        ends.reserveCapacity(keys.count)
        for (i, key) in keys.enumerated() {
            if i > 0 { sink.append(UInt8(ascii: ",")) }
            JSON.writeQuoted(key, to: &sink)
            sink.append(UInt8(ascii: ":"))
            ends.append(sink.count)
        }
        text = sink.array
        self.ends = ends
    }

    /// Writes key `i`'s text.
    @inline(__always)
    func write(_ i: Int, to out: inout ByteSink) {
        let start = i == 0 ? 0 : ends[i - 1]
        let n = ends[i] - start
        out.reserve(n)
        text.withUnsafeBufferPointer { out.end.update(from: $0.baseAddress! + start, count: n) }
        out.count += n
    }
}
