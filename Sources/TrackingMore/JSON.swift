/// A JSON value as the TrackingMore API sends it, and the value type of the tms language.
///
/// Records keep their fields in the order they were read or set, because people read API
/// records in the API's order. Integers and floating-point numbers are distinct so that
/// `status: 4` stays an integer on its way back to the API.
public enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([JSON])
    case record(Record)
}

extension JSON: Hashable {
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.record(a), .record(b)): return a == b
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .int(let i): hasher.combine(Double(i))
        case .double(let d): hasher.combine(d)
        case .string(let s): hasher.combine(s)
        case .list(let l): hasher.combine(l)
        case .record(let r): hasher.combine(r)
        }
    }
}

extension JSON {
    /// The kind of the value in the words error messages use.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "string"
        case .list: return "list"
        case .record: return "record"
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var recordValue: Record? { if case .record(let r) = self { return r } else { return nil } }
    public var listValue: [JSON]? { if case .list(let l) = self { return l } else { return nil } }
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: return Int(d)
        default: return nil
        }
    }

    /// The field of a record, or the item of a list when `key` is an index; nil when absent.
    public subscript(key: String) -> JSON? {
        switch self {
        case .record(let r): return r[key]
        case .list(let l):
            guard let i = Int(key), i >= 0, i < l.count else { return nil }
            return l[i]
        default: return nil
        }
    }
}

/// A JSON object with its fields in order.
///
/// Tracking records have a few dozen fields at most, so a linear search over parallel arrays
/// beats hashing in both time and memory.
public struct Record: Sendable, Hashable {
    public private(set) var keys: [String]
    public private(set) var values: [JSON]
    /// True when every key is known to be ASCII (a record read from JSON whose keys were
    /// plain ASCII): then a lookup by an ASCII key compares only the keys of its length.
    /// False says nothing about the keys.
    private var keysAreASCII = false

    public init() {
        keys = []
        values = []
    }

    public init(_ pairs: [(String, JSON)]) {
        self.init()
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        guard pairs.count > 32 else {
            for (k, v) in pairs { self[k] = v }
            return
        }
        // Many fields (a CSV with thousands of columns): find repeats by hash, not by search,
        // so building stays linear. A repeated key keeps its first place and its last value.
        var position: [String: Int] = [:]
        position.reserveCapacity(pairs.count)
        for (k, v) in pairs {
            if let i = position[k] {
                values[i] = v
            } else {
                position[k] = keys.count
                keys.append(k)
                values.append(v)
            }
        }
    }

    /// Builds a record from pairs whose keys are known to be unique, without checking.
    public init(uniqueKeys keys: [String], values: [JSON]) {
        precondition(keys.count == values.count)
        self.keys = keys
        self.values = values
    }

    /// The same, for a reader that also knows whether all the keys are ASCII.
    init(uniqueKeys keys: [String], values: [JSON], keysAreASCII: Bool) {
        self.init(uniqueKeys: keys, values: values)
        self.keysAreASCII = keysAreASCII
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func index(of key: String) -> Int? {
        // Strings are equal by canonical equivalence ("\u{212A}" == "K"), but ASCII text is
        // equal to other ASCII text only byte for byte: when both sides are ASCII, a key of
        // another length is another key, and only those of the same length are compared.
        if keysAreASCII, let length = Record.asciiLength(key) {
            for i in keys.indices where keys[i].utf8.count == length && keys[i] == key { return i }
            return nil
        }
        return keys.firstIndex(of: key)
    }

    /// The UTF-8 length of an ASCII string; nil for any other.
    private static func asciiLength(_ s: String) -> Int? {
        let ascii = s.utf8.withContiguousStorageIfAvailable { $0.firstByte(from: 0, 0x80, 0x80, 0x80, below: 0, nonASCII: true) == $0.count }
        return (ascii ?? s.utf8.allSatisfy { $0 < 0x80 }) ? s.utf8.count : nil
    }

    public subscript(key: String) -> JSON? {
        get { index(of: key).map { values[$0] } }
        set {
            if let i = index(of: key) {
                if let newValue { values[i] = newValue } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                }
            } else if let newValue {
                if keysAreASCII { keysAreASCII = Record.asciiLength(key) != nil }
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    public var pairs: Zip2Sequence<[String], [JSON]> { zip(keys, values) }

    public static func == (lhs: Record, rhs: Record) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (k, v) in lhs.pairs where rhs[k] != v { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, to agree with ==.
        var sum = 0
        for (k, v) in pairs {
            var h = Hasher()
            h.combine(k)
            h.combine(v)
            sum = sum &+ h.finalize()
        }
        hasher.combine(count)
        hasher.combine(sum)
    }
}

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSON...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, JSON)...) { self = .record(Record(elements)) }
}

extension Record: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSON)...) {
        self.init(elements)
    }
}
