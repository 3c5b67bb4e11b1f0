import TrackingMore

/// The verbs that work on local data, files and the session. API verbs come from the API
/// catalog and register through the same `VerbRegistry`.
public enum BuiltinVerbs {
    public static let all: [Verb] = [
        set, unset, whereVerb, select, sort, first, last, count, each, uniq, group, flatten,
        printVerb, echo, table, json, csv, open, save, assert, sleep, exit, help, vars,
    ]

    /// The record an item must be for verbs that work on records.
    static func record(_ v: Value, _ call: VerbInvocation) throws -> Record {
        guard case .record(let r) = v else {
            throw TMSError(.needsInput(call.span, verb: call.name, expected: "records", found: v.summary))
        }
        return r
    }

    /// A field path argument (`origin_info.weblink`).
    static func path(_ v: Value) -> [PathSegment] {
        PathSegment.parse(Substring(v.stringValue ?? v.description))
    }

    /// The value at a path, or nil when any step is missing.
    static func lookup(_ v: Value, _ path: [PathSegment]) -> Value? {
        var current = v
        for segment in path {
            switch (segment, current) {
            case (.name(let n), .record(let r)):
                guard let f = r[n] else { return nil }
                current = f
            case (.index(let i), .list(let l)):
                guard i < l.count else { return nil }
                current = l[i]
            case (.index(let i), .record(let r)):
                guard let f = r[String(i)] else { return nil }
                current = f
            default: return nil
            }
        }
        return current
    }

    /// The record with the value at `path` replaced (nil removes it), creating records on the way.
    static func updating(_ r: Record, _ path: ArraySlice<PathSegment>, _ value: Value?) -> Record {
        guard let first = path.first else { return r }
        var r = r
        let key = first.description
        if path.count == 1 {
            r[key] = value
        } else {
            let inner = r[key]?.recordValue ?? Record()
            if value != nil || r[key]?.recordValue != nil {
                r[key] = .record(updating(inner, path.dropFirst(), value))
            }
        }
        return r
    }
}
