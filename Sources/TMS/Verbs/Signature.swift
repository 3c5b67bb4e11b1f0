import TrackingMore

/// The type of a verb or script parameter. It decides how an argument is parsed (a block, an
/// expression) and how a bare word is read (as text, a number, a duration).
public enum ParameterType: String, Sendable, CaseIterable {
    case string, int, float, number, bool, duration, field, any, list, record, file
    /// A moment: unix seconds, an ISO date (`2024-05-01`), or a time ago (`7d`, `12h`).
    case time
    /// `{ statements }`, run by the verb (e.g. `each`).
    case block
    /// One expression, evaluated by the verb per item with `$it` (e.g. `where`).
    case expression
}

public struct Parameter: Sendable {
    public var name: String
    public var type: ParameterType
    public var required: Bool
    /// Takes all remaining positional arguments.
    public var rest: Bool
    public var help: String
    /// Another parameter that must be given when this one is (NUMBER after CARRIER).
    public var needs: String?
    /// For an `.expression`: conditions over the fields of `$it`, where a bare word left of a
    /// comparison names a field (`where status == delivered`).
    public var conditionsOverFields = false

    public init(_ name: String, _ type: ParameterType, required: Bool = true, rest: Bool = false, needs: String? = nil, help: String) {
        self.needs = needs
        self.name = name
        self.type = type
        self.required = required
        self.rest = rest
        self.help = help
    }

    /// An expression parameter read as conditions over the fields of `$it`.
    public static func conditions(_ name: String, help: String) -> Parameter {
        var p = Parameter(name, .expression, help: help)
        p.conditionsOverFields = true
        return p
    }

    public static func optional(_ name: String, _ type: ParameterType, help: String) -> Parameter {
        Parameter(name, type, required: false, help: help)
    }
}

/// What a verb accepts and returns, and how to use it: the single description that drives
/// argument checking, `help`, and (later) completion.
public struct Signature: Sendable {
    public enum Category: String, Sendable, CaseIterable {
        case data = "working with records"
        case output = "output and files"
        case shell = "shell"
        case api = "TrackingMore API"
        case host = "host"
    }

    public var name: String
    public var aliases: [String]
    public var category: Category
    public var positional: [Parameter]
    public var keywords: [Parameter]
    /// Accepts any `field=value` keyword (e.g. `set`).
    public var anyKeywords: Bool
    public var input: String
    public var output: String
    public var summary: String
    public var examples: [(code: String, comment: String)]
    /// The API endpoints the verb calls (`POST /trackings/post`), for help and explain.
    public var endpoints: [String] = []

    public init(
        _ name: String, aliases: [String] = [], category: Category, positional: [Parameter] = [],
        keywords: [Parameter] = [], anyKeywords: Bool = false, input: String = "nothing",
        output: String, summary: String, examples: [(String, String)] = []
    ) {
        self.name = name
        self.aliases = aliases
        self.category = category
        self.positional = positional
        self.keywords = keywords
        self.anyKeywords = anyKeywords
        self.input = input
        self.output = output
        self.summary = summary
        self.examples = examples.map { (code: $0.0, comment: $0.1) }
    }

    /// `name POS [OPT] [REST...] [key=type]`
    public var usage: String {
        var parts = [name]
        for p in positional {
            let n = p.type == .block ? "{ \(p.name) }" : p.name.uppercased()
            if p.rest { parts.append("[\(n)...]") } else if p.required { parts.append(n) } else { parts.append("[\(n)]") }
        }
        for k in keywords { parts.append("[\(k.name)=\(k.type == .any ? "value" : k.type.rawValue)]") }
        if anyKeywords { parts.append("field=value...") }
        return parts.joined(separator: " ")
    }

    /// The parameter a positional argument at `index` binds to.
    func positionalParameter(at index: Int) -> Parameter? {
        if index < positional.count { return positional[index] }
        if let last = positional.last, last.rest { return last }
        return nil
    }
}
