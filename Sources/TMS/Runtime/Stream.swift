import TrackingMore

/// A lazy sequence of values flowing between pipeline stages. A stage pulls from the one
/// before only what it needs, so `list | first 5` stops the upstream work after five items.
public final class ValueStream {
    private var pull: (() async throws -> Value?)?

    public init(_ pull: @escaping () async throws -> Value?) {
        self.pull = pull
    }

    /// The next value, or nil when the stream is done. After nil, always nil.
    public func next() async throws -> Value? {
        guard let pull else { return nil }
        if let v = try await pull() { return v }
        self.pull = nil
        return nil
    }

    public static func of(_ items: [Value]) -> ValueStream {
        var i = 0
        return ValueStream {
            guard i < items.count else { return nil }
            defer { i += 1 }
            return items[i]
        }
    }

    public static var empty: ValueStream { ValueStream { nil } }

    public func collect() async throws -> [Value] {
        var items: [Value] = []
        while let v = try await next() { items.append(v) }
        return items
    }

    /// A stream of `transform` applied to each value.
    public func map(_ transform: @escaping (Value) async throws -> Value) -> ValueStream {
        ValueStream { [self] in
            guard let v = try await self.next() else { return nil }
            return try await transform(v)
        }
    }

    public func filter(_ keep: @escaping (Value) async throws -> Bool) -> ValueStream {
        ValueStream { [self] in
            while let v = try await self.next() {
                if try await keep(v) { return v }
            }
            return nil
        }
    }
}

/// What a pipeline stage produces: one value, or a stream of them.
public enum PipelineValue {
    case value(Value)
    case stream(ValueStream)

    public static var null: PipelineValue { .value(.null) }

    /// The items: a list's elements, a stream's values, or the single value itself.
    public var stream: ValueStream {
        switch self {
        case .stream(let s): return s
        case .value(.list(let items)): return .of(items)
        case .value(.null): return .empty
        case .value(let v): return .of([v])
        }
    }

    /// One value: a stream is collected into a list.
    public func collect() async throws -> Value {
        switch self {
        case .value(let v): return v
        case .stream(let s): return .list(try await s.collect())
        }
    }

    /// Applies `transform` to each item, keeping the shape: one value in, one value out.
    public func mapEach(_ transform: @escaping (Value) async throws -> Value) async throws -> PipelineValue {
        switch self {
        case .value(.list), .stream: return .stream(stream.map(transform))
        case .value(let v): return .value(try await transform(v))
        }
    }
}

/// Variables visible at one point of a program. Blocks and defs open a child scope; `let`
/// binds in the innermost one.
final class Scope {
    private var variables: [String: Value] = [:]
    let parent: Scope?

    init(parent: Scope? = nil) {
        self.parent = parent
    }

    func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let s = scope {
            if let v = s.variables[name] { return v }
            scope = s.parent
        }
        return nil
    }

    func bind(_ name: String, _ value: Value) {
        variables[name] = value
    }

    /// Every visible name, innermost first.
    var allNames: [String] {
        var names: [String] = []
        var scope: Scope? = self
        while let s = scope {
            names += s.variables.keys.sorted()
            scope = s.parent
        }
        return names
    }
}
