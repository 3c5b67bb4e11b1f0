extension Shape.Object {
    /// The object as an answer sends it, from a handler's values: its keys in this shape's
    /// order, whatever order the handler gives them in. A nil value leaves an optional key out
    /// (`.null` is sent as null). A key outside the shape, or a key every answer has (`always`)
    /// left out, is a mistake of the handler: a debug build stops on it (the tests run debug
    /// builds, and AnswerShapeTests sends every answer), a release build leaves the key out.
    public func make(_ values: KeyValuePairs<String, JSON?>) -> JSON { make(pairs: Array(values)) }

    /// `make` with the values computed (the counts of each status).
    public func make(pairs values: [(key: String, value: JSON?)]) -> JSON {
        var keys: [String] = []
        var written: [JSON] = []
        keys.reserveCapacity(values.count)
        written.reserveCapacity(values.count)
        for p in properties {
            if let given = values.first(where: { $0.key == p.name }), let value = given.value {
                keys.append(p.name)
                written.append(value)
            } else if p.always {
                assertionFailure("\(name) is answered without \(p.name), which the catalog says every answer has")
            }
        }
        for (key, _) in values where self[key] == nil {
            assertionFailure("\(name) has no field \(key) in the catalog (Catalog+Answers.swift)")
        }
        return .record(Record(uniqueKeys: keys, values: written))
    }
}

extension Shape {
    /// How `value` differs from this shape: keys outside an object's shape, keys every answer
    /// has missing, keys out of the shape's order, values of another kind or out of range,
    /// lists too long or short. Empty when it conforms. Each problem starts with its path.
    public func problems(in value: JSON, at path: String = "data") -> [String] {
        switch (self, value) {
        case (.any, _): return []
        case (.nullable, .null): return []
        case (.nullable(let inner), _): return inner.problems(in: value, at: path)
        case (.either(let shapes), _):
            return shapes.contains { $0.problems(in: value, at: path).isEmpty } ? [] : ["\(path): \(value.kindName) fits none of its shapes"]
        case (.text, .string), (.number, .int), (.number, .double), (.boolean, .bool): return []
        case (.integer(let range), .int(let n)):
            return range.map { $0.contains(n) } == false ? ["\(path): \(n) is out of \(range.map { "\($0)" } ?? "")"] : []
        case (.oneOf(let words), .string(let s)):
            return words.contains(s) ? [] : ["\(path): \"\(s)\" is not one of \(words.joined(separator: ", "))"]
        case (.list(let item, let min, let max), .list(let items)):
            var out: [String] = []
            if let min, items.count < min { out.append("\(path): \(items.count) items, fewer than \(min)") }
            if let max, items.count > max { out.append("\(path): \(items.count) items, more than \(max)") }
            for (i, v) in items.enumerated() { out += item.problems(in: v, at: "\(path)[\(i)]") }
            return out
        case (.object(let o), .record(let r)):
            var out: [String] = []
            for key in r.keys where o[key] == nil { out.append("\(path): \(key) is not a field of \(o.name)") }
            for p in o.properties {
                if let v = r[p.name] {
                    out += p.shape.problems(in: v, at: "\(path).\(p.name)")
                } else if p.always {
                    out.append("\(path): \(p.name) of \(o.name) is missing")
                }
            }
            let order = o.properties.map(\.name).filter { r[$0] != nil }
            if out.isEmpty && r.keys != order { out.append("\(path): keys \(r.keys) are not in \(o.name)'s order \(order)") }
            return out
        default:
            return ["\(path): \(value.kindName), not \(kind.rawValue)"]
        }
    }
}
