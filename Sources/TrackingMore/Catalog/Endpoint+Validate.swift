/// The one set of rules for a request: the sandbox answers a refused request with the first
/// problem's meta code, and the verbs refuse the same values before sending, as diagnostics.
extension Endpoint {
    /// Checks the path values, the query and an object body against the catalog's fields.
    /// The items of an array body are checked one by one with `validate(item:)`, since the
    /// API answers for each item. Empty when the request is sound.
    public func validate(path: [String: String] = [:], query: [String: String] = [:], body: JSON = .null) -> [Field.Problem] {
        var problems: [Field.Problem] = []
        for f in pathParameters + [pathSuffix].compactMap({ $0 }) {
            if let p = f.check(path[f.name].map(JSON.string)) { problems.append(p) }
        }
        for f in self.query {
            if let p = f.check(query[f.name].flatMap { $0.isEmpty ? nil : .string($0) }) { problems.append(p) }
        }
        if case .object = self.body, let r = body.recordValue {
            problems += validate(item: r)
        }
        return problems
    }

    /// Checks one body object (the body, or an item of an array body).
    public func validate(item: Record) -> [Field.Problem] {
        validate(item: item, positions: fieldPositions(in: item))
    }

    /// Where the item has each of the body's fields among its pairs, in the fields' order
    /// (nil: not given), as `item[name]` finds each. Read in one pass over the item's keys,
    /// each looked for among the names of its length, rather than by looking each field up
    /// by name: a batch item has some 5 keys, and create's body 18 fields, for each of the
    /// 40 items of every batch request. Positions rather than values: an array of 18 JSON
    /// values made and destroyed for each item cost more than the lookups.
    public func fieldPositions(in item: Record) -> [Int?] {
        let fields = body.fields
        var positions = [Int?](repeating: nil, count: fields.count)
        // Only the catalog makes endpoints (there is no public initializer and `body` is a
        // `let`), so its table has this endpoint's body; the count is checked all the same.
        guard let names = Catalog.bodyNames[id], names.names.count == fields.count else {
            for i in fields.indices { positions[i] = item.index(of: fields[i].name) }
            return positions
        }
        for (k, key) in item.keys.enumerated() {
            // The first of a repeated key, as `item[name]` finds it; every field of the name.
            for i in names.candidates(for: key) where positions[i] == nil && names.names[i] == key {
                positions[i] = k
            }
        }
        return positions
    }

    /// `validate(item:)` with the item's `fieldPositions`, for a caller that reads them too.
    public func validate(item: Record, positions: [Int?]) -> [Field.Problem] {
        var problems: [Field.Problem] = []
        let fields = body.fields
        if closedBody {
            // The tracking's identity may come along (it names the tracking; it is not changed).
            let known = Set(fields.map(\.name) + [Catalog.number.name, Catalog.carrier.name])
            for name in item.keys where !known.contains(name) {
                let editable = fields.filter { $0.role != .identity }.map(\.name).sorted()
                problems.append(Field.Problem(
                    field: name, code: .badRequest,
                    message: "\(name) cannot be changed; the editable fields are \(editable.joined(separator: ", ")).",
                    expected: "one of " + editable.joined(separator: ", ")))
            }
        }
        // Only the fields given, and the required ones: `check` finds nothing wrong with a
        // field that is neither.
        for i in fields.indices where positions[i] != nil || fields[i].required {
            if let p = fields[i].check(positions[i].map { item.values[$0] }) { problems.append(p) }
        }
        return problems
    }

    /// The fields a request of this endpoint sets: path, query and body.
    public var fields: [Field] { pathParameters + query + body.fields }
}

extension Field {
    /// The problem of a value (nil: not given), if it has one; a required field missing or
    /// empty is one.
    func check(_ value: JSON?) -> Problem? {
        guard let value, !value.isNull, !value.isEmptyString else {
            guard required else { return nil }
            let message = missingCode == .trackingNumberRequired ? missingCode.message : "\(name) is required."
            return problem(missingCode, message)
        }
        if case .failure(let p) = decode(value) { return p }
        return nil
    }
}

extension JSON {
    /// Whether it is the string "", which a field takes as not given.
    fileprivate var isEmptyString: Bool {
        if case .string(let s) = self { return s.isEmpty }
        return false
    }
}

extension Catalog {
    /// The names of an endpoint's body fields, in order, and where the names of each length
    /// in bytes are among them: made once, for `Endpoint.fieldPositions(in:)`.
    struct BodyNames: Sendable {
        let names: [String]
        /// `byLength[n]`: the positions of the names of `n` bytes.
        let byLength: [[Int]]
        let all: [Int]

        /// Nil when a name is not ASCII (the catalog's are).
        init?(_ fields: [Field]) {
            names = fields.map(\.name)
            guard names.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
            var byLength = [[Int]](repeating: [], count: (names.map(\.utf8.count).max() ?? 0) + 1)
            for (i, name) in names.enumerated() { byLength[name.utf8.count].append(i) }
            self.byLength = byLength
            all = Array(names.indices)
        }

        /// The positions of the names `key` may be equal to. Strings are equal by canonical
        /// equivalence ("\u{212A}" == "K"), but ASCII text is equal to ASCII text only byte
        /// for byte: an ASCII key may equal only the names of its length; another, any.
        func candidates(for key: String) -> [Int] {
            let length = key.utf8.count
            guard key.utf8.withContiguousStorageIfAvailable({ !$0.contains { $0 >= 0x80 } }) == true else { return all }
            return length < byLength.count ? byLength[length] : []
        }
    }

    static let bodyNames: [Endpoint.ID: BodyNames] = Dictionary(uniqueKeysWithValues: endpoints.compactMap { e in
        BodyNames(e.body.fields).map { (e.id, $0) }
    })
}

extension Envelope {
    /// The answer refusing a request for a problem.
    public init(_ problem: Field.Problem) {
        self.init(problem.code, message: problem.message)
    }
}
