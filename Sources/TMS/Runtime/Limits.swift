import TrackingMore

/// The limits on what a program may build, each checked where it can be exceeded and each
/// with its own diagnostic (docs/reliability.md lists them). They keep a script from
/// crashing tms (a stack overflow in a deeply nested value, an allocation that cannot be
/// met) instead of stopping it with an error that says which limit it met.
enum Limits {
    /// How deeply lists and records may nest: as deep as the JSON reader reads.
    static let nesting = 512
    /// The longest string an operator may build: 64 MiB.
    static let stringBytes = 64 << 20
    /// The longest list an operator may build.
    static let listItems = 8_000_000
    /// Parameters of one def or param block.
    static let parameters = 255

    /// Throws when a value built from these parts would nest past ``nesting``.
    static func checkNesting(_ parts: [Value], _ span: Span) throws {
        for v in parts where v.isContainer && v.nests(deeperThan: nesting - 1) {
            throw TMSError(.nestedTooDeep(span, limit: nesting))
        }
    }

    static func checkSize(_ size: Int, of kind: String, limit: Int, _ span: Span) throws {
        if size > limit { throw TMSError(.valueTooLarge(span, kind: kind, size: size, limit: limit)) }
    }
}

extension JSON {
    var isContainer: Bool {
        switch self {
        case .list, .record: return true
        default: return false
        }
    }

    /// Whether lists and records nest more than `limit` levels, looked at without recursion
    /// (the value may already be too deep for the stack) and stopping at the first path
    /// that is too deep.
    func nests(deeperThan limit: Int) -> Bool {
        var stack: [(JSON, Int)] = [(self, 0)]
        while let (v, depth) = stack.popLast() {
            switch v {
            case .list(let items):
                if depth >= limit, !items.isEmpty { return true }
                for i in items where i.isContainer { stack.append((i, depth + 1)) }
            case .record(let r):
                if depth >= limit, !r.isEmpty { return true }
                for i in r.values where i.isContainer { stack.append((i, depth + 1)) }
            default: break
            }
        }
        return false
    }
}
