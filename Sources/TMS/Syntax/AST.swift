import TrackingMore

/// A parsed script: its statements, in order. Every node carries the span it came from.
public struct Script: Sendable {
    public var source: SourceFile
    public var body: Block
    /// The `param` block, when the script starts with one.
    public var params: ParamBlock?
}

public struct Block: Sendable {
    public var statements: [Statement]
    public var span: Span
}

public struct Statement: Sendable {
    public indirect enum Kind: Sendable {
        case pipeline(Pipeline)
        case `let`(name: String, nameSpan: Span, value: Pipeline)
        case def(Definition)
        case `if`(condition: Expression, then: Block, else: Block?)
        case `for`(name: String, nameSpan: Span, sequence: Expression, body: Block)
        case `try`(body: Block, errorName: String?, handler: Block)
        case source(path: Expression)
        case `return`(Expression?)
        case param(ParamBlock)
        /// `explain PIPELINE`: show the requests it would send; send no write.
        case explain(Pipeline)
    }

    public var kind: Kind
    public var span: Span
}

/// `def name params { body }`: a user verb.
public struct Definition: Sendable {
    public var name: String
    public var nameSpan: Span
    public var parameters: [(name: String, span: Span)]
    public var body: Block
    public var span: Span
}

/// `param { name: type = default  # help }` at the top of a script.
public struct ParamBlock: Sendable {
    public struct Declaration: Sendable {
        public var name: String
        public var type: ParameterType
        public var defaultValue: Expression?
        public var help: String
        public var span: Span
    }

    public var declarations: [Declaration]
    public var span: Span
}

public struct Pipeline: Sendable {
    public var stages: [Stage]
    public var span: Span
}

public enum Stage: Sendable {
    case command(Command)
    case expression(Expression)

    public var span: Span {
        switch self {
        case .command(let c): return c.span
        case .expression(let e): return e.span
        }
    }
}

/// A verb with its arguments, as written.
public struct Command: Sendable {
    public var name: String
    public var nameSpan: Span
    public var arguments: [Argument]
    public var span: Span
}

public enum Argument: Sendable {
    case positional(Expression)
    case keyword(name: String, nameSpan: Span, value: Expression)
    case block(Block)

    public var span: Span {
        switch self {
        case .positional(let e): return e.span
        case .keyword(_, let nameSpan, let value): return nameSpan.to(value.span)
        case .block(let b): return b.span
        }
    }
}

/// One step of a field path: a name, or an index into a list.
public enum PathSegment: Sendable, Hashable, CustomStringConvertible {
    case name(String)
    case index(Int)

    public var description: String {
        switch self {
        case .name(let n): return n
        case .index(let i): return String(i)
        }
    }

    static func parse(_ text: Substring) -> [PathSegment] {
        text.split(separator: ".", omittingEmptySubsequences: false).map { part in
            if let i = Int(part), i >= 0, part.first != "+" { return .index(i) }
            return .name(String(part))
        }
    }
}

public struct Expression: Sendable {
    public indirect enum Kind: Sendable {
        case literal(JSON)
        /// A bare word: a string that keeps its source text, or a number in an expression.
        case word(String)
        case string([StringPart])
        case variable(name: String, path: [PathSegment])
        /// A bare word on the left of a comparison in `where`: a field of `$it`.
        case itField([PathSegment])
        case field(Expression, [PathSegment])
        case list([Expression])
        case record([(key: String, keySpan: Span, value: Expression)])
        case unary(UnaryOperator, Expression)
        case binary(BinaryOperator, Expression, Expression)
        case pipeline(Pipeline)
    }

    public var kind: Kind
    public var span: Span
}

public enum StringPart: Sendable {
    case text(String)
    case interpolation(Expression)
}

public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not
}

public enum BinaryOperator: String, Sendable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case matches = "=~", notMatches = "!~", `in`
    case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .matches, .notMatches, .in: return true
        default: return false
        }
    }
}
