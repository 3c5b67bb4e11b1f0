import TrackingMore

/// Why a field path stops: the first step it cannot take.
enum PathMiss: Error {
    case noField(String, candidates: [String])
    case indexOutOfRange(Int, count: Int)
    case cannotTake(PathSegment, Value)

    /// The diagnostic for a path written at `span` (E0202, E0203, E0201).
    func error(at span: Span) -> TMSError {
        switch self {
        case .noField(let name, let candidates): return TMSError(.noField(span, name, candidates: candidates))
        case .indexOutOfRange(let i, let count): return TMSError(.indexOutOfRange(span, i, count: count))
        case .cannotTake(let segment, let value): return TMSError(.typeMismatch(span, "cannot take '\(segment)' of \(value.summary)"))
        }
    }
}

extension Value {
    /// The value at a field path: the one walker of `$x.a.0.b`, `$it` fields in conditions and
    /// the FIELD arguments of `select`, `sort`, `group` and `uniq`. A name picks a record's
    /// field, or that field of every item of a list; a number picks a list's item, or a
    /// record's field named by those digits (docs/language.md, "Field paths and list indexes").
    func at<Path: Collection<PathSegment>>(_ path: Path) throws(PathMiss) -> Value {
        var v = self
        for segment in path {
            switch (segment, v) {
            case (.name(let n), .record(let r)):
                guard let f = r[n] else { throw .noField(n, candidates: r.keys) }
                v = f
            case (.index(let i), .list(let l)):
                guard i < l.count else { throw .indexOutOfRange(i, count: l.count) }
                v = l[i]
            case (.index(let i), .record(let r)):
                guard let f = r[String(i)] else { throw .noField(String(i), candidates: r.keys) }
                v = f
            case (.name, .list(let l)):
                var items: [Value] = []
                items.reserveCapacity(l.count)
                for item in l { items.append(try item.at(CollectionOfOne(segment))) }
                v = .list(items)
            default:
                throw .cannotTake(segment, v)
            }
        }
        return v
    }
}
