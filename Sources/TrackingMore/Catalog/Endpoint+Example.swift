extension Endpoint {
    /// A realistic request of an endpoint, kept in the catalog next to its fields: the OpenAPI
    /// document shows its parameters' values (`example:` of each) and its body (`example:` of
    /// the request body), and the tests check that it validates against the operation's schema
    /// (Tests/openapi.py) and that a sandbox answers it with success (RequestExampleTests).
    public struct Example: Sendable {
        /// Values of the path and query parameters by name, each of its field's kind (an
        /// integer for `limit`, a text for `status`), as the OpenAPI document shows them.
        public let parameters: Record
        /// The JSON body; nil when the endpoint takes none.
        public let body: JSON?
        /// The examples that make this one succeed on an empty account, sent before it: `put`
        /// changes the tracking `create` made.
        public let after: [Endpoint.ID]

        public init(_ parameters: Record = [:], body: JSON? = nil, after: [Endpoint.ID] = []) {
            self.parameters = parameters
            self.body = body
            self.after = after
        }
    }

    /// The example as the request a client sends: the path with its values, the query in the
    /// order of the endpoint's query fields, the body's bytes.
    public var exampleRequest: APIRequest? {
        guard let example = requestExample else { return nil }
        var values: [String: String] = [:]
        for (name, value) in example.parameters.pairs { values[name] = value.parameterText }
        let query = self.query.compactMap { f in values[f.name].map { (name: f.name, value: $0) } }
        return APIRequest(method: method.rawValue, path: path(values), query: query, body: example.body?.bytes)
    }
}

extension JSON {
    /// The value as a path or query parameter carries it: text as it is, a list's items
    /// comma-separated, anything else as JSON (`100`, `true`).
    public var parameterText: String {
        if case .list(let items) = self { return items.map { $0.scalarText ?? $0.compactText }.joined(separator: ",") }
        return scalarText ?? compactText
    }

    /// What a field that takes text reads from a value: a string as it is, a number as JSON
    /// writes it (an integer's digits, without writing JSON to get them: CSV columns of digits
    /// come as numbers); nil for anything else.
    public var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return JSON.decimalText(i)
        case .double: return compactText
        default: return nil
        }
    }
}

extension Record {
    /// These fields, then those of `more` (a field of both keeps its place and takes the later value).
    func merging(_ more: [(String, JSON)]) -> Record { Record(Array(pairs) + more) }
    func merging(_ more: Record) -> Record { merging(Array(more.pairs)) }
}
