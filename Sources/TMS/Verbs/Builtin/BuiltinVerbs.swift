import TrackingMore

/// The verbs that work on local data, files and the session, one file each. API verbs come
/// from the API catalog and register through the same `VerbRegistry`. `all` is generated from
/// the verb files by the VerbRegistry plugin: a `static let NAME = Verb(...)` in an
/// `extension BuiltinVerbs` is registered.
public enum BuiltinVerbs {

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

    /// The value at a path, as `$it.PATH` would give it, or nil where that is an error.
    static func lookup(_ v: Value, _ path: [PathSegment]) -> Value? {
        try? v.at(path)
    }

    /// The value with the part at `path` replaced, or removed when `value` is nil. Records on
    /// the way are created; a list item is replaced in place. Setting inside a scalar is an
    /// error; removing from one does nothing, as there is nothing there.
    static func updating(_ target: Value, _ path: ArraySlice<PathSegment>, _ value: Value?, span: Span) throws -> Value {
        guard let first = path.first else { return value ?? .null }
        let rest = path.dropFirst()
        switch (target, first) {
        case (.record(var r), _):
            let key = first.description
            if rest.isEmpty {
                r[key] = value
            } else if let inner = r[key] {
                r[key] = try updating(inner, rest, value, span: span)
            } else if value != nil {
                r[key] = try updating(.record(Record()), rest, value, span: span)
            }
            return .record(r)
        case (.list(var l), .index(let i)):
            guard i < l.count else {
                if value == nil { return target }
                throw TMSError(.indexOutOfRange(span, i, count: l.count))
            }
            if !rest.isEmpty {
                l[i] = try updating(l[i], rest, value, span: span)
            } else if let value {
                l[i] = value
            } else {
                l.remove(at: i)
            }
            return .list(l)
        default:
            if value == nil { return target }
            throw TMSError(.typeMismatch(span, "cannot set '\(first)' inside \(target.summary)"))
        }
    }
}
