import Dispatch
import TrackingMore

/// The values of the language are JSON values: null, bool, int, float, string, list, record.
public typealias Value = JSON

extension JSON {
    /// The number a bare word stands for in an expression, when it is written as one
    /// canonically: `7`, `-3`, `2.5`, `1e3`. `007` and `+1` stay text, so a tracking number
    /// with leading zeros is never changed.
    public static func number(fromWord w: String) -> JSON? {
        var text = w
        return text.withUTF8(number(utf8:))
    }

    /// The same from a word's UTF-8 (a CSV cell's bytes, read without making a string first).
    /// An integer too large for 64 bits stays text: it is surely an identifier, and a float
    /// would lose its digits.
    static func number(utf8 u: UnsafeBufferPointer<UInt8>) -> JSON? {
        switch numberForm(u) {
        case false?: return integer(u).map { .int($0) }
        case true?: return Double(String(decoding: u, as: UTF8.self)).map { .double($0) }
        case nil: return nil
        }
    }

    /// The integer of canonical digits (with a leading `-`), or nil past 64 bits.
    private static func integer(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        let negative = digits.first == UInt8(ascii: "-")
        var n = 0
        for d in digits.dropFirst(negative ? 1 : 0) {
            let (times, o1) = n.multipliedReportingOverflow(by: 10)
            let (plus, o2) = negative ? times.subtractingReportingOverflow(Int(d &- 0x30)) : times.addingReportingOverflow(Int(d &- 0x30))
            if o1 || o2 { return nil }
            n = plus
        }
        return n
    }

    /// Whether `u` is a number written canonically, an integer (false) or a float (true);
    /// nil when it is not one.
    private static func numberForm(_ u: UnsafeBufferPointer<UInt8>) -> Bool? {
        var i = 0
        if i < u.count, u[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
        let intDigits = i - intStart
        guard intDigits > 0 else { return nil }
        if intDigits > 1 && u[intStart] == 0x30 { return nil }
        var isFloat = false
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            let f = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            guard i > f else { return nil }
            isFloat = true
        }
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            i += 1
            if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
            let e = i
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            guard i > e else { return nil }
            isFloat = true
        }
        guard i == u.count else { return nil }
        return isFloat
    }

    /// Ordering and equality within one kind; nil for values of different kinds (except that
    /// ints and floats compare as numbers). `null` sorts before everything.
    static func compare(_ a: JSON, _ b: JSON) -> Int? {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case let (.bool(x), .bool(y)): return x == y ? 0 : (!x ? -1 : 1)
        case let (.int(x), .int(y)): return x == y ? 0 : (x < y ? -1 : 1)
        case let (.int(x), .double(y)): return cmp(Double(x), y)
        case let (.double(x), .int(y)): return cmp(x, Double(y))
        case let (.double(x), .double(y)): return cmp(x, y)
        case let (.string(x), .string(y)): return x == y ? 0 : (x < y ? -1 : 1)
        case let (.list(x), .list(y)):
            for (p, q) in zip(x, y) {
                guard let c = compare(p, q) else { return nil }
                if c != 0 { return c }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        case let (.record(x), .record(y)): return x == y ? 0 : nil
        default: return nil
        }
    }

    private static func cmp(_ x: Double, _ y: Double) -> Int { x == y ? 0 : (x < y ? -1 : 1) }

    var isNumber: Bool {
        switch self {
        case .int, .double: return true
        default: return false
        }
    }

    var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// A short description of a value for messages: `string "abc"`, `record`, `list of 3`.
    var summary: String {
        switch self {
        case .string(let s): return "string \"\(Renderer.visible(s.count > 20 ? String(s.prefix(20)) + "…" : s))\""
        case .list(let l): return "a list of \(l.count)"
        case .record: return "a record"
        case .null: return "null"
        default: return "\(kindName) \(compactText)"
        }
    }
}

/// Holds a large list a moment longer and lets go of it on another thread: freeing the 10,000
/// records a bulk call read, and the 10,000 trackings of its answers once its report is done
/// with, took some 5 ms after its last answer, which neither the rest of the pipeline nor a
/// one-liner about to exit needs to wait for. Whatever else holds the values (the report)
/// lets go of them first, so the freeing happens here, a second later, or not at all if the
/// program has ended.
func releaseElsewhere(_ values: [Value]) {
    DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(1)) { withExtendedLifetime(values) {} }
}
