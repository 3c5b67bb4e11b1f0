import TrackingMore

extension BuiltinVerbs {
    static let help = Verb(
        Signature(
            "help", category: .shell,
            positional: [
                .optional("topic", .string, help: "a verb, a topic (api, errors, statuses, language, let, def, ...), or an API error code"),
                .optional("code", .string, help: "after 'error': the API error code"),
            ],
            output: "string", summary: "the map: topics and verbs; or one verb, topic or API error code",
            examples: [("help where", ""), ("help", "topics, then every verb by category"), ("help 4017", "what an API error means and what to do")])
    ) { call in
        let registry = call.interpreter.registry
        guard var topic = call.string("topic") else { return .value(.string(Help.map(registry))) }
        var span = call.span(of: "topic")
        if topic == "error" || topic == "errors", let code = call.string("code") {
            topic = code
            span = call.span(of: "code")
        } else if let extra = call.string("code") {
            throw TMSError(.badValue(call.span(of: "code"), parameter: "help", expected: "one verb or topic", found: "'\(topic) \(extra)'"), exitCode: ExitCode.usage)
        }
        if topic == "verbs" { return .value(.string(Help.overview(registry))) }
        if let t = Help.topic(topic) { return .value(.string(t.text(registry))) }
        if let verb = registry.lookup(topic) { return .value(.string(Help.text(for: verb.signature))) }
        if let d = call.interpreter.definitions[topic] {
            return .value(.string("\(d.name) " + d.parameters.map { $0.name.uppercased() }.joined(separator: " ") + "\n\nA def from \(d.span.file.name).\n"))
        }
        if let n = Int(topic) {
            guard let code = MetaCode(rawValue: n) else {
                throw TMSError(Diagnostic(
                    code: "E0283", message: "\(n) is not a meta code of the API", primary: .init(span, "unknown code"),
                    help: "help errors lists them all"), exitCode: ExitCode.usage)
            }
            return .value(.string(code.helpText))
        }
        throw TMSError(Diagnostic(
            code: "E0284", message: "no help for '\(topic)'", primary: .init(span, "not a verb or topic"),
            help: Diagnostic.didYouMean(topic, registry.allNames + Help.topics.map(\.name)) ?? "help alone shows the topics and verbs"), exitCode: ExitCode.usage)
    }
}

/// The text of `help`, made from the verbs' signatures.
public enum Help {
    public static func text(for s: Signature) -> String {
        var out = "\(s.name): \(s.summary)\n\nUsage:\n  \(s.usage)\n"
        if !s.endpoints.isEmpty {
            out += "\nCalls:\n" + s.endpoints.map { "  " + $0 + "\n" }.joined()
            let limits = Help.limits(s.endpoints)
            if !limits.isEmpty { out += "\nLimits:\n" + limits.map { "  " + $0 + "\n" }.joined() }
        }
        if !s.aliases.isEmpty { out += "\nAlso called: " + s.aliases.joined(separator: ", ") + "\n" }
        let params = s.positional + s.keywords
        if !params.isEmpty {
            out += "\nParameters:\n"
            let width = params.map { name($0, s).count }.max() ?? 0
            for p in params {
                let n = name(p, s)
                out += "  " + n + String(repeating: " ", count: width - n.count) + "  " + p.help
                out += p.required || s.keywords.contains(where: { $0.name == p.name }) ? "\n" : " (optional)\n"
            }
        }
        if s.anyKeywords { out += "  field=value  any field of the record\n" }
        out += "\nInput: \(s.input)\nOutput: \(s.output)\n"
        if !s.examples.isEmpty {
            out += "\nExamples:\n"
            for e in s.examples {
                out += "  " + e.code + (e.comment.isEmpty ? "" : "    # " + e.comment) + "\n"
            }
        }
        return out
    }

    /// What the catalog says about how much one call may carry and how often it may be made.
    static func limits(_ titles: [String]) -> [String] {
        var out: [String] = []
        for e in Catalog.endpoints where titles.contains(e.title) {
            if case .array(_, let limit) = e.body { out.append("\(e.title): up to \(limit) items a call (tms sends more in chunks)") }
            if e.id == .list { out.append("\(e.title): up to \(Catalog.pageLimit) a page (limit=), \(Catalog.filterValuesLimit) values in numbers= and orders=") }
            if let rate = e.rateClass.liveRate, e.rateClass == .realtime || e.id == .list {
                let n = Int(rate)
                out.append("\(e.title): \(n) request\(n == 1 ? "" : "s") a second on the live API")
            }
        }
        return out
    }

    static func name(_ p: Parameter, _ s: Signature) -> String {
        s.keywords.contains(where: { $0.name == p.name }) ? "\(p.name)=\(p.type.rawValue)" : p.name.uppercased()
    }

    public static func overview(_ registry: VerbRegistry) -> String {
        var out = "Verbs (help VERB for more):\n"
        for category in Signature.Category.allCases {
            let verbs = registry.all.filter { $0.signature.category == category }
            guard !verbs.isEmpty else { continue }
            out += "\n\(category.rawValue.prefix(1).uppercased() + category.rawValue.dropFirst()):\n"
            let width = verbs.map(\.signature.name.count).max() ?? 0
            for v in verbs {
                out += "  " + v.signature.name + String(repeating: " ", count: width - v.signature.name.count) + "  " + v.signature.summary + "\n"
            }
        }
        return out
    }
}
