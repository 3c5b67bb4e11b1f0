extension JSON {
    /// JSON text on one line, fields in record order.
    public var compactText: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// JSON text indented by two spaces per level.
    public var prettyText: String {
        var out = ""
        write(to: &out, indent: "  ", level: 0)
        return out
    }

    /// The UTF-8 bytes of `compactText`, as a request body is sent.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        writeCompact(to: &out)
        return out
    }

    /// Appends the compact JSON text straight as UTF-8 bytes, without building strings on the
    /// way: what a server answer and a request body are made of.
    public func writeCompact(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case .int(let i): JSON.writeDecimal(i, to: &out)
        case .double(let d): out.append(contentsOf: JSON.format(d).utf8)
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
            for i in 0..<r.count {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.writeQuoted(r.keys[i], to: &out)
                out.append(UInt8(ascii: ":"))
                r.values[i].writeCompact(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// An integer's digits, written as `String(i)` writes them, without making that string.
    static func writeDecimal(_ i: Int, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = i.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if i < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// A string in quotes, escaped as `writeQuoted(_:to: inout String)` escapes it.
    static func writeQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: checked and copied over the contiguous UTF-8 at once.
        let copied = s.utf8.withContiguousStorageIfAvailable { text -> Bool in
            let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
            guard text.firstByte(from: 0, quote, backslash, quote, below: 0x20, nonASCII: false) == text.count else { return false }
            out.append(contentsOf: text)
            return true
        }
        if copied == true {
            out.append(UInt8(ascii: "\""))
            return
        }
        for u in s.utf8 {
            switch u {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case ..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                Hex.append(CollectionOfOne(u), to: &out)
            default: out.append(u)
            }
        }
        out.append(UInt8(ascii: "\""))
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
