import TrackingMore

/// How arguments become the types their parameters want. The checker uses the same rules on
/// literal arguments before anything runs, so a wrong literal is a parse-time error.
public enum Coercion {
    /// On failure, the wanted type in words ("an int").
    static func word(_ w: String, to type: ParameterType) -> Result<Value, Expected> {
        switch type {
        case .string, .file, .field, .time: return .success(.string(w))
        case .duration:
            return value(.string(w), to: .duration)
        case .bool:
            if w == "true" { return .success(.bool(true)) }
            if w == "false" { return .success(.bool(false)) }
            return .failure(Expected("true or false"))
        default:
            return value(JSON.number(fromWord: w) ?? .string(w), to: type)
        }
    }

    static func value(_ v: Value, to type: ParameterType) -> Result<Value, Expected> {
        switch (type, v) {
        case (.any, _), (.block, _), (.expression, _): return .success(v)
        case (.string, .string), (.file, .string), (.field, .string), (.time, .string), (.time, .int): return .success(v)
        case (.string, .int), (.string, .double): return .success(.string(v.compactText))
        case (.int, .int): return .success(v)
        case (.int, .double(let d)) where d.rounded() == d && abs(d) < 9e18: return .success(.int(Int(d)))
        case (.float, .int(let i)): return .success(.double(Double(i)))
        case (.float, .double), (.number, .int), (.number, .double): return .success(v)
        case (.bool, .bool), (.list, .list), (.record, .record): return .success(v)
        case (.duration, .int), (.duration, .double), (.duration, .string):
            if let d = duration(v) { return .success(.double(d)) }
            if case .string(let s) = v, unboundedDuration(s) == nil { return .failure(Expected(describe(.duration))) }
            return .failure(Expected("a duration from 0 to \(longestDurationDays)d"))
        default:
            return .failure(Expected(describe(type)))
        }
    }

    struct Expected: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    static func describe(_ type: ParameterType) -> String {
        switch type {
        case .int: return "an int"
        case .float, .number: return "a number"
        case .string: return "a string"
        case .bool: return "true or false"
        case .duration: return "a duration such as 20s, 500ms, 2m, 1h or 1d"
        case .field: return "a field name"
        case .list: return "a list"
        case .record: return "a record"
        case .file: return "a file name"
        case .time: return "a time: unix seconds, a date like 2024-05-01, or an age like 7d"
        case .any: return "a value"
        case .block: return "a block { ... }"
        case .expression: return "an expression"
        }
    }

    /// The longest duration anything accepts: 100 years. Bounding every duration where it is
    /// read keeps each later conversion (to whole seconds, to milliseconds, to an age back
    /// from now) inside Int's range.
    static let longestDurationDays = 36_500
    static let longestDuration = Double(longestDurationDays * 86400)

    /// Seconds of a duration value: a number of seconds or a duration word; nil when it is
    /// neither or lies outside 0...longestDuration.
    static func duration(_ v: Value) -> Double? {
        switch v {
        case .int(let i): return duration(seconds: Double(i))
        case .double(let d): return duration(seconds: d)
        case .string(let s): return duration(s)
        default: return nil
        }
    }

    private static func duration(seconds: Double) -> Double? {
        seconds.isFinite && seconds >= 0 && seconds <= longestDuration ? seconds : nil
    }

    /// Seconds in `20s`, `1.5m`, `500ms`, `2h`, `3d`, or a plain number of seconds, at most
    /// ``longestDuration``.
    public static func duration(_ text: String) -> Double? {
        unboundedDuration(text).flatMap(duration(seconds:))
    }

    private static func unboundedDuration(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        if let n = Double(text), JSON.number(fromWord: text) != nil { return n }
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            // "5ms" ends in "s" too; only accept when the rest is a plain number.
            guard JSON.number(fromWord: String(number)) != nil, let n = Double(number), n >= 0 else { continue }
            return n * factor
        }
        return nil
    }
}

extension Result where Success == Value, Failure == Coercion.Expected {
    var valueOrNull: Value {
        if case .success(let v) = self { return v }
        return .null
    }
}
