/// The OpenAPI 3.1 document of what `tms serve` answers, made from the catalog: every
/// endpoint with its parameters and body from its fields (kinds, limits, required), and its
/// answer from `Catalog.answer`. `tms openapi` prints it; docs/openapi.yaml is its output.
/// The same catalog always gives the same text: objects and forms are listed by name.
public enum OpenAPI {
    /// The document as a JSON value, keys in the order they are written.
    public static var document: JSON {
        var schemas = Schemas()
        var paths: [(String, [(String, JSON)])] = []
        func add(_ path: String, _ method: Endpoint.Method, _ operation: JSON) {
            if let i = paths.firstIndex(where: { $0.0 == path }) {
                paths[i].1.append((method.rawValue.lowercased(), operation))
            } else {
                paths.append((path, [(method.rawValue.lowercased(), operation)]))
            }
        }
        for e in Catalog.endpoints {
            add(e.path, e.method, operation(e, &schemas))
            // The same operation with its last path segment (get's language).
            if let suffix = e.pathSuffix {
                add(e.path + "/{\(suffix.name)}", e.method, operation(e, &schemas, suffix: suffix))
            }
        }
        let errorCodes = MetaCode.allCases.filter { $0 != .success && $0 != .created }
        var components: [(String, JSON)] = [
            ("Meta", object([
                ("code", ["type": "integer", "description": "200 or 201 is success; anything else is an error."]),
                ("type", ["type": "string", "description": "The code's name, e.g. Success, Created, Bad Request, Unauthorized."]),
                ("message", ["type": "string"]),
            ], help: "The `meta` object of every answer.")),
            ("SuccessMeta", [
                "description": "The `meta` of a success.",
                "allOf": [ref("Meta"), ["properties": ["code": ["enum": [200, 201]], "type": ["enum": ["Success", "Created"]]]]],
            ]),
            ("ErrorMeta", [
                "description": .string("The `meta` of an error: " + errorCodes.map { "\($0.rawValue) \($0.message)" }.joined(separator: " ")),
                "allOf": [ref("Meta"), ["properties": ["code": ["enum": .list(errorCodes.map { .int($0.rawValue) })]]]],
            ]),
            ("ErrorEnvelope", .record(Record([
                ("description", "An error, with HTTP 200 as the v2 API does. `data` is always `[]`."),
                ("type", "object"),
                ("required", ["meta", "data"]),
                ("properties", ["meta": ref("ErrorMeta"), "data": ["type": "array", "maxItems": 0]]),
                ("additionalProperties", false),
            ]))),
        ]
        for (name, schema) in schemas.sorted { components.append((name, schema)) }
        return .record(Record([
            ("openapi", "3.1.0"),
            ("info", .record(Record([
                ("title", "TrackingMore API v2, as `tms serve` serves it"),
                ("version", "2"),
                ("summary", "The TrackingMore v2 API emulated by the tms sandbox, plus the sandbox's own controls."),
                ("description", .string(description)),
            ]))),
            ("servers", [["url": "http://127.0.0.1:8080/v2", "description": .string("`tms serve --port 8080` (the live API is \(Catalog.liveBaseURL))")]]),
            ("security", [["apiKey": []]]),
            ("tags", .list(Answer.Tag.allCases.map { ["name": .string($0.rawValue), "description": .string($0.help)] })),
            ("paths", .record(Record(paths.map { ($0.0, .record(Record($0.1))) }))),
            ("components", .record(Record([
                ("securitySchemes", ["apiKey": .record(Record([
                    ("type", "apiKey"), ("in", "header"), ("name", .string(Catalog.keyHeader)),
                    ("description", "The account's key. Missing or unknown: `meta.code` 4001; revoked: 4002."),
                ]))]),
                ("schemas", .record(Record(components))),
            ]))),
        ]))
    }

    /// The document as YAML (what docs/openapi.yaml holds).
    public static var yaml: String {
        "# Generated from the API catalog (Sources/TrackingMore/Catalog) by `tms openapi`; `make openapi` rewrites it.\n"
            + YAML.text(document)
    }

    static let description = """
        What `tms serve` answers at `/v2/...`: the endpoints of the TrackingMore v2 API and the sandbox-only \
        controls under `/sandbox/` that the live API does not have. This document is generated from the catalog \
        (Sources/TrackingMore/Catalog): the endpoints, their fields and limits, and the shape of every answer; \
        `tms openapi` prints it. The facts behind them are in the v2 reference, and the sandbox's choices where \
        the API is unconfirmed in docs/sandbox.md.

        **Errors come with HTTP 200**, as the v2 API does: every answer, success or error, is HTTP 200 with \
        `Content-Type: application/json` and the envelope `{"meta": {"code", "type", "message"}, "data"}`. A \
        client must read `meta.code`: 200 (Success) and 201 (Created) are success, anything else is an error, \
        and then `data` is an empty array `[]`. That is why every response is a `oneOf` of the operation's \
        success envelope and `ErrorEnvelope`. An unknown path answers `meta.code` 404 and a known path with \
        another method 405, both with HTTP 200.

        Authentication: the `Trackingmore-Api-Key` header on every request (`tms keys add NAME` makes a key \
        for `tms serve`). A missing or unknown key is 4001, a revoked one 4002. Each key has its own account: \
        its trackings, virtual clock and quota.

        The response schemas describe the sandbox's output exactly (objects are closed with \
        `additionalProperties: false`); the live API may add fields. Bulk bodies take at most \
        \(Catalog.batchLimit) items (more is refused whole with 4020); `GET /trackings/get` takes up to \
        \(Catalog.pageLimit) per page. Tests/openapi.py validates this document and checks every endpoint's \
        answers from a real `tms serve` against it.
        """

    // MARK: Operations

    /// The endpoint's operation; with `suffix`, the one whose path ends in that field's segment.
    static func operation(_ e: Endpoint, _ schemas: inout Schemas, suffix: Field? = nil) -> JSON {
        let answer = e.answer
        let id = suffix.map { e.id.rawValue + "With" + $0.name.prefix(1).uppercased() + $0.name.dropFirst() } ?? e.id.rawValue
        var op: [(String, JSON)] = [
            ("operationId", .string(id)),
            ("tags", [.string(answer.tag.rawValue)]),
            ("summary", .string(e.summary + (suffix.map { " (with /{\($0.name)})" } ?? ""))),
            ("description", .string(description(e, answer))),
        ]
        let example = e.requestExample
        let parameters = (e.pathParameters + (suffix.map { [$0] } ?? [])).map { parameter($0, in: "path", example: example) }
            + e.query.map { parameter($0, in: "query", example: example) }
        if !parameters.isEmpty { op.append(("parameters", .list(parameters))) }
        if let body = requestBody(e) {
            var content: [(String, JSON)] = [("schema", body.schema)]
            if let value = example?.body { content.append(("example", value)) }
            op.append(("requestBody", .record(Record([
                ("required", .bool(body.required)),
                ("content", ["application/json": .record(Record(content))]),
            ]))))
        }
        let success = object([("meta", ref("SuccessMeta")), ("data", schemas.schema(answer.data))], help: nil)
        op.append(("responses", ["200": [
            "description": .string(answer.help + " Or an error envelope."),
            "content": ["application/json": ["schema": ["oneOf": [success, ref("ErrorEnvelope")]]]],
        ]]))
        return .record(Record(op))
    }

    /// What it does, the tms verb that calls it, and the meta codes it can answer.
    static func description(_ e: Endpoint, _ answer: Answer) -> String {
        var parts: [String] = []
        if e.sandboxOnly { parts.append("**Sandbox-only**: not part of TrackingMore's API; only the sandbox and `tms serve` answer it.") }
        parts.append(answer.help)
        let aliases = e.aliases.isEmpty ? "" : " (alias \(e.aliases.map { "`\($0)`" }.joined(separator: ", ")))"
        parts.append("tms verb: `\(e.verb)`\(aliases), e.g. `\(e.example)`.")
        var codes: [MetaCode] = []
        for f in e.fields {
            if f.required { codes.append(f.missingCode) }
            codes += [f.invalidCode, f.countCode]
        }
        if e.body.fields.isEmpty == false || e.closedBody { codes.append(.badRequest) }
        if case .array = e.body { codes.append(.tooManyAtOnce) }
        codes += answer.errors
        let unique = Set(codes).sorted { $0.rawValue < $1.rawValue }
        if !unique.isEmpty {
            parts.append("Errors: " + unique.map { "\($0.rawValue) (\($0.message))" }.joined(separator: ", ") + ".")
        }
        return parts.joined(separator: " ")
    }

    /// A path or query parameter, with its value in the endpoint's request example.
    static func parameter(_ f: Field, in place: String, example: Endpoint.Example?) -> JSON {
        var r: [(String, JSON)] = [
            ("name", .string(f.name)), ("in", .string(place)), ("required", .bool(place == "path" || f.required)),
            ("description", .string(f.help)), ("schema", schema(f, inQuery: true, described: false)),
        ]
        if let value = example?.parameters[f.name] { r.append(("example", value)) }
        return .record(Record(r))
    }

    static func requestBody(_ e: Endpoint) -> (schema: JSON, required: Bool)? {
        switch e.body {
        case .none: return nil
        case .object(let fields):
            var fields = fields
            // A closed body still takes the tracking's identity (it names the tracking).
            if e.closedBody {
                for f in [Catalog.number, Catalog.carrier] where !fields.contains(where: { $0.name == f.name }) {
                    fields.append(f.with(required: false))
                }
            }
            return (bodyObject(fields, closed: e.closedBody), fields.contains(where: \.required))
        case .array(let fields, let limit):
            return (.record(Record([
                ("type", "array"), ("maxItems", .int(limit)), ("items", bodyObject(fields, closed: e.closedBody)),
            ])), true)
        }
    }

    static func bodyObject(_ fields: [Field], closed: Bool) -> JSON {
        var r: [(String, JSON)] = [("type", "object")]
        let required = fields.filter(\.required).map { JSON.string($0.name) }
        if !required.isEmpty { r.append(("required", .list(required))) }
        r.append(("properties", .record(Record(fields.map { ($0.name, schema($0, inQuery: false)) }))))
        if closed { r.append(("additionalProperties", false)) }
        return .record(Record(r))
    }

    /// The schema of a request's field: its kind and limits.
    static func schema(_ f: Field, inQuery: Bool, described: Bool = true) -> JSON {
        var r: [(String, JSON)] = []
        switch f.kind {
        case .string:
            r.append(("type", "string"))
            if let maxLength = f.maxLength { r.append(("maxLength", .int(maxLength))) }
            if let pattern = f.pattern { r.append(("pattern", .string(pattern.rawValue))) }
        case .int, .time:
            r.append(("type", "integer"))
            if f.kind == .time { r.append(("format", "int64")) }
            if let range = f.range {
                r.append(("minimum", .int(range.lowerBound)))
                if range.upperBound != Int.max { r.append(("maximum", .int(range.upperBound))) }
            }
        case .number:
            r.append(("type", "number"))
            if let range = f.range { r += [("minimum", .int(range.lowerBound)), ("maximum", .int(range.upperBound))] }
        case .bool: r.append(("type", "boolean"))
        case .boolString: r += [("type", "string"), ("enum", ["true", "false"])]
        case .commaList:
            // A JSON body may carry the values as a list.
            if inQuery {
                r.append(("type", "string"))
            } else {
                r += [("type", ["string", "array"]), ("items", ["type": "string"])]
            }
        case .status: r += [("type", "string"), ("enum", .list(TrackingStatus.allCases.map { .string($0.rawValue) }))]
        case .statusChange:
            // A number or its string.
            let codes = StatusChange.allCases.map(\.rawValue)
            r.append(("enum", .list(codes.map { .int($0) } + codes.map { .string(String($0)) })))
        case .list:
            r += [("type", "array"), ("items", ["type": "string"])]
            if let count = f.count { r.append(("maxItems", .int(count))) }
        case .record: r.append(("type", "object"))
        case .records: r += [("type", "array"), ("items", ["type": "object"])]
        }
        // A field PUT or updatemore may change takes null: left as it is.
        if f.editable, let i = r.firstIndex(where: { $0.0 == "type" }), case .string(let t) = r[i].1 {
            r[i].1 = [.string(t), "null"]
            if let e = r.firstIndex(where: { $0.0 == "enum" }), case .list(let values) = r[e].1 { r[e].1 = .list(values + [.null]) }
        } else if f.editable, let e = r.firstIndex(where: { $0.0 == "enum" }), case .list(let values) = r[e].1 {
            r[e].1 = .list(values + [.null])
        }
        if described { r.append(("description", .string(f.help))) }
        return .record(Record(r))
    }

    // MARK: Answers

    /// The named schemas an answer uses: its objects and the forms of text.
    struct Schemas {
        private var byName: [String: JSON] = [:]

        var sorted: [(String, JSON)] { byName.keys.sorted().compactMap { name in byName[name].map { (name, $0) } } }

        /// The schema of a shape; objects and forms of text are named, and referred to.
        mutating func schema(_ shape: Shape) -> JSON {
            switch shape {
            case .text(let text):
                guard text != .plain else { return ["type": "string"] }
                if byName[text.rawValue] == nil {
                    var r: [(String, JSON)] = [("type", "string"), ("description", .string(text.help))]
                    if text == .isoTime { r.append(("format", "date-time")) }
                    if let pattern = text.pattern { r.append(("pattern", .string(pattern))) }
                    if let values = text.values { r.append(("enum", .list(values.map { .string($0) }))) }
                    byName[text.rawValue] = .record(Record(r))
                }
                return ref(text.rawValue)
            case .integer(let range):
                var r: [(String, JSON)] = [("type", "integer")]
                if let range {
                    r.append(("minimum", .int(range.lowerBound)))
                    if range.upperBound != Int.max { r.append(("maximum", .int(range.upperBound))) }
                }
                return .record(Record(r))
            case .number: return ["type": "number"]
            case .boolean: return ["type": "boolean"]
            case .oneOf(let values): return ["type": "string", "enum": .list(values.map { .string($0) })]
            case .object(let o):
                if byName[o.name] == nil {
                    byName[o.name] = [:]  // taken, while its fields are made
                    let properties = o.properties.map { p -> (String, JSON) in
                        var s = schema(p.shape)
                        if case .record(var r) = s, r["$ref"] == nil, p.help != "" { r["description"] = .string(p.help); s = .record(r) }
                        return (p.name, s)
                    }
                    byName[o.name] = OpenAPI.object(properties, help: o.help, required: o.sent.map(\.name))
                }
                return ref(o.name)
            case .list(let item, let min, let max):
                var r: [(String, JSON)] = [("type", "array")]
                if let min { r.append(("minItems", .int(min))) }
                if let max { r.append(("maxItems", .int(max))) }
                if case .any = item {} else { r.append(("items", schema(item))) }
                return .record(Record(r))
            case .nullable(let s):
                let inner = schema(s)
                if case .record(var r) = inner, r["$ref"] == nil, case .string(let t)? = r["type"] {
                    r["type"] = [.string(t), "null"]
                    if case .list(let values)? = r["enum"] { r["enum"] = .list(values + [.null]) }
                    return .record(r)
                }
                return ["oneOf": [inner, ["type": "null"]]]
            case .either(let shapes): return ["oneOf": .list(shapes.map { schema($0) })]
            case .any: return [:]
            }
        }
    }

    static func ref(_ name: String) -> JSON { ["$ref": .string("#/components/schemas/" + name)] }

    /// A closed object schema.
    static func object(_ properties: [(String, JSON)], help: String?, required: [String]? = nil) -> JSON {
        var r: [(String, JSON)] = [("type", "object")]
        if let help { r.append(("description", .string(help))) }
        r.append(("required", .list((required ?? properties.map(\.0)).map { .string($0) })))
        r.append(("properties", .record(Record(properties))))
        r.append(("additionalProperties", false))
        return .record(Record(r))
    }
}
