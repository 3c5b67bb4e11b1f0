import Testing
@testable import TrackingMore

/// The OpenAPI document is made from the catalog: every endpoint, its fields and its answer.
/// (Tests/openapi.py validates it with openapi-spec-validator and checks real answers against it.)
@Suite struct OpenAPITests {
    let document = OpenAPI.document

    func operation(_ e: Endpoint) -> JSON? {
        document["paths"]?[e.path]?[e.method.rawValue.lowercased()]
    }

    @Test func everyEndpointIsAnOperationWithItsFields() throws {
        var operations = 0
        for case .record(let item) in document["paths"]?.recordValue?.values ?? [] { operations += item.count }
        // And get's form with the language as its last segment.
        #expect(operations == Catalog.endpoints.count + Catalog.endpoints.filter { $0.pathSuffix != nil }.count)
        let withLanguage = document["paths"]?["/trackings/{carrier_code}/{tracking_number}/{lang}"]?["get"]
        #expect(withLanguage?["operationId"] == "getWithLang")
        #expect(withLanguage?["parameters"]?.listValue?.compactMap { $0["name"]?.stringValue } == ["carrier_code", "tracking_number", "lang"])
        for e in Catalog.endpoints {
            let op = try #require(operation(e), "\(e.title) is not in the document")
            #expect(op["operationId"] == .string(e.id.rawValue))
            #expect(op["summary"] == .string(e.summary))
            let parameters = (op["parameters"]?.listValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(parameters == (e.pathParameters + e.query).map(\.name), "\(e.title)")
            let schema = op["requestBody"]?["content"]?["application/json"]?["schema"]
            switch e.body {
            case .none: #expect(schema == nil, "\(e.title) has a body")
            case .object(let fields):
                let names = schema?["properties"]?.recordValue?.keys ?? []
                #expect(fields.allSatisfy { names.contains($0.name) }, "\(e.title)")
                #expect(schema?["required"]?.listValue ?? [] == fields.filter(\.required).map { .string($0.name) }, "\(e.title)")
            case .array(let fields, let limit):
                #expect(schema?["maxItems"] == .int(limit))
                #expect(schema?["items"]?["properties"]?.recordValue?.keys == fields.map(\.name), "\(e.title)")
            }
            #expect(e.sandboxOnly == (op["description"]?.stringValue?.contains("**Sandbox-only**") ?? false))
        }
    }

    @Test func fieldLimitsBecomeSchemaLimits() throws {
        let list = try #require(operation(Catalog.endpoint(.list)))
        let limit = list["parameters"]?.listValue?.first { $0["name"] == "limit" }
        #expect(limit?["schema"]?["maximum"] == .int(Catalog.pageLimit))
        #expect(limit?["schema"]?["minimum"] == 1)
        let create = try #require(operation(Catalog.endpoint(.create)))
        let number = create["requestBody"]?["content"]?["application/json"]?["schema"]?["properties"]?["tracking_number"]
        #expect(number?["maxLength"] == .int(Catalog.numberLimit))
        #expect(number?["pattern"] == .string(Field.Pattern.trackingNumber.rawValue))
    }

    /// The answer schemas are the catalog's objects: a tracking requires the fields the sandbox
    /// always sends, in order, and no two objects share a name.
    @Test func answersAreTheCatalogsObjects() throws {
        let schemas = try #require(document["components"]?["schemas"])
        let tracking = try #require(schemas["Tracking"])
        #expect(tracking["required"]?.listValue == Catalog.trackingObject.sent.map { .string($0.name) })
        #expect(tracking["properties"]?.recordValue?.keys == Catalog.trackingFields.map(\.name))
        #expect(tracking["additionalProperties"] == false)
        let get = try #require(operation(Catalog.endpoint(.get)))
        let data = get["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["oneOf"]?.listValue?.first?["properties"]?["data"]
        #expect(data == ["$ref": "#/components/schemas/Tracking"])
        // The same name, the same object: made twice, they must agree.
        var seen: [String: JSON] = [:]
        for e in Catalog.endpoints {
            var fresh = OpenAPI.Schemas()
            _ = fresh.schema(e.answer.data)
            for (name, schema) in fresh.sorted {
                if let earlier = seen[name] { #expect(earlier == schema, "two objects named \(name)") }
                seen[name] = schema
            }
        }
        #expect(Set(seen.keys).isSubset(of: Set(schemas.recordValue?.keys ?? [])))
    }

    @Test func theTextIsTheSameEveryTime() {
        #expect(OpenAPI.yaml == OpenAPI.yaml)
        #expect(OpenAPI.yaml.hasPrefix("# Generated from the API catalog"))
    }

    /// Each request example uses only its endpoint's parameters and body fields, is sent in the
    /// body's form, and is what the document shows: each parameter's `example:` and the request
    /// body's. (RequestExampleTests sends each to a sandbox; Tests/openapi.py validates each.)
    @Test func requestExamplesAreTheCatalogsAndInTheDocument() throws {
        for e in Catalog.endpoints {
            guard let example = e.requestExample else { continue }
            let parameters = e.pathParameters + [e.pathSuffix].compactMap { $0 } + e.query
            for name in example.parameters.keys {
                #expect(parameters.contains { $0.name == name }, "\(e.title): the example's \(name) is no parameter")
            }
            for p in e.pathParameters {
                #expect(example.parameters[p.name] != nil, "\(e.title): the example has no \(p.name)")
            }
            let fields = Set(e.body.fields.map(\.name) + (e.closedBody ? [Catalog.number.name, Catalog.carrier.name] : []))
            switch (e.body, example.body) {
            case (.none, nil): break
            case (.object, .record(let r)?):
                #expect(Set(r.keys).isSubset(of: fields), "\(e.title): \(Set(r.keys).subtracting(fields))")
            case (.array(_, let limit), .list(let items)?):
                #expect(!items.isEmpty && items.count <= limit, "\(e.title)")
                for item in items {
                    let keys = Set(item.recordValue?.keys ?? [])
                    #expect(item.recordValue != nil && keys.isSubset(of: fields), "\(e.title): \(keys.subtracting(fields))")
                }
            default: Issue.record("\(e.title): the example's body is not of the endpoint's form")
            }
            let op = try #require(operation(e))
            #expect(op["requestBody"]?["content"]?["application/json"]?["example"] == example.body, "\(e.title)")
            for p in op["parameters"]?.listValue ?? [] {
                let name = p["name"]?.stringValue ?? ""
                #expect(p["example"] == example.parameters[name], "\(e.title): \(name)")
            }
            // The request a client sends: every parameter in its place.
            let request = try #require(e.exampleRequest)
            #expect(e.match(request.path) != nil, "\(e.title): \(request.path)")
            #expect(request.query.map(\.name).sorted() == e.query.map(\.name).filter { example.parameters[$0] != nil }.sorted())
        }
        // get's example reads in a language: the `/{lang}` operation shows it.
        let withLanguage = document["paths"]?["/trackings/{carrier_code}/{tracking_number}/{lang}"]?["get"]
        #expect(withLanguage?["parameters"]?.listValue?.last?["example"] == "en")
        #expect(Catalog.endpoint(.get).exampleRequest?.path == "/trackings/china-post/RR123456785CN/en")
    }

    /// Plain where YAML reads the same string back, quoted or a literal block otherwise.
    @Test func yamlWritesStringsThatReadBackTheSame() {
        #expect(YAML.string("product title") == "product title")
        #expect(YAML.string("/trackings/{carrier_code}") == "/trackings/{carrier_code}")
        for tricky in ["yes", "No", "null", "3.1.0", "200", "a: b", "a #b", "-x", "`code`", "", " lead", "trail ", "ends:", "line\nbreak", "tab\there"] {
            #expect(YAML.string(tricky).hasPrefix("\""), "\(tricky) must be quoted")
        }
        #expect(YAML.text(["d": "one\n\ntwo"]) == "d: |-\n  one\n\n  two\n")
        #expect(YAML.text(["l": ["a", "b c"], "e": [], "r": [:]]) == "l: [a, b c]\ne: []\nr: {}\n")
        #expect(YAML.text(["l": [["k": 1, "m": [1, 2]]]]) == "l:\n  - k: 1\n    m: [1, 2]\n")
    }
}
