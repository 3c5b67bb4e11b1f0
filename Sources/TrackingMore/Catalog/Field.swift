/// A parameter or body field of an endpoint, or a field of a record the API returns: its
/// kind (which says how a value is read and written), its limits, whether it is required,
/// and its role for the verb. The sandbox checks requests with it and the verbs check their
/// arguments with it, so both refuse the same values.
public struct Field: Sendable {
    public enum Kind: String, Sendable {
        /// Text. A number given for it is sent as a string (a CSV column of digits).
        case string
        case int, number, bool
        /// Unix seconds.
        case time
        /// `"true"` or `"false"`, as strings (the API's `archived`).
        case boolString = "\"true\"|\"false\""
        /// A comma-separated list in a query parameter.
        case commaList = "comma-separated list"
        /// One of the package statuses (`transit`, `delivered`, ...).
        case status = "status word"
        /// What PUT may set a status to: 4 (delivered), 7 (exception), 8 (the carrier's own).
        case statusChange = "4|7|8"
        case list = "list of strings"
        case record, records = "list of records"
    }

    /// What the field is to the verb that sends it.
    public enum Role: Sendable, Equatable {
        /// Part of a tracking's identity (`carrier_code`, `tracking_number`): in the path, or
        /// given as CARRIER NUMBER (or by the input records).
        case identity
        /// A positional argument of the verb, in catalog order (`remote JP 7600000`).
        case positional
        /// A `key=value` argument.
        case keyword
    }

    /// A shape a text must have.
    public enum Pattern: String, Sendable {
        /// Letters, digits, `-` and `_`, at least 5 (the official client's
        /// `^[0-9a-z-_]{5,}$`, case-insensitive).
        case trackingNumber = "^[0-9A-Za-z_-]{5,}$"
        /// A language code: two letters (`en`, `de`).
        case language = "^[A-Za-z]{2}$"

        func matches(_ s: String) -> Bool {
            // Over the contiguous UTF-8 at once: walking the UTF8View took some 45
            // instructions a byte, for every tracking number of every batch item.
            var s = s
            return s.withUTF8 { u in
                switch self {
                case .trackingNumber:
                    return u.count >= 5 && u.allSatisfy { b in
                        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                            || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
                    }
                case .language:
                    return u.count == 2 && u.allSatisfy { b in (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
                }
            }
        }

        /// In words, for messages, with the most characters allowed.
        func words(maxLength: Int?) -> String {
            switch self {
            case .trackingNumber: return "5 to \(maxLength.map(String.init) ?? "any number of") letters, digits, - or _"
            case .language: return "two letters, e.g. en"
            }
        }
    }

    public let name: String
    public let kind: Kind
    public let required: Bool
    public let help: String
    /// The most characters of a text (every text field has one).
    public let maxLength: Int?
    /// The values an integer may take.
    public let range: ClosedRange<Int>?
    /// The most values of a list or comma list.
    public let count: Int?
    public let pattern: Pattern?
    public let role: Role
    /// Whether `put` may change it (for tracking fields).
    public let editable: Bool
    /// The meta code the API answers when the field is missing (if required) and when its
    /// value is refused: 4013/4014 for a tracking number, 4015 for a carrier, 4033 for a
    /// status, 4012 for the rest.
    public let missingCode: MetaCode
    public let invalidCode: MetaCode
    /// The code for a list of more than `count` values (aircargo's 4020).
    public let countCode: MetaCode

    public init(
        _ name: String, _ kind: Kind, required: Bool = false, maxLength: Int? = nil, range: ClosedRange<Int>? = nil,
        count: Int? = nil, pattern: Pattern? = nil, role: Role = .keyword, editable: Bool = false,
        missingCode: MetaCode = .badRequest, invalidCode: MetaCode? = nil, countCode: MetaCode? = nil, _ help: String
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.maxLength = maxLength ?? (kind == .string ? Catalog.textLimit : nil)
        self.range = range
        self.count = count
        self.pattern = pattern
        self.role = role
        self.editable = editable
        self.missingCode = missingCode
        self.invalidCode = invalidCode ?? (kind == .status || kind == .statusChange ? .statusInvalid : .badRequest)
        self.countCode = countCode ?? self.invalidCode
        self.help = help
    }

    /// The same field as a positional argument, or required or not.
    public func with(role: Role? = nil, required: Bool? = nil) -> Field {
        Field(name, kind, required: required ?? self.required, maxLength: maxLength, range: range, count: count, pattern: pattern,
              role: role ?? self.role, editable: editable, missingCode: missingCode, invalidCode: invalidCode, countCode: countCode, help)
    }

    /// A value refused, with the API's meta code and a message in its words.
    public struct Problem: Sendable, Error, Equatable {
        public let field: String
        public let code: MetaCode
        /// What is wrong, e.g. "tracking_number must be 5 or more letters, digits, - or _".
        public let message: String
        /// What the field takes, e.g. "an integer from 1 to 2000": for the verbs' diagnostics.
        public let expected: String
    }

    /// What the field takes, in words.
    public var expected: String {
        var s: String
        switch kind {
        case .string:
            if let pattern { return pattern.words(maxLength: maxLength) }
            s = "a text"
        case .int, .time:
            if let r = range {
                s = r.upperBound == Int.max ? "an integer from \(r.lowerBound)" : "an integer from \(r.lowerBound) to \(r.upperBound)"
            } else {
                s = kind == .time ? "unix seconds" : "an integer"
            }
        case .number: s = range.map { "a number from \($0.lowerBound) to \($0.upperBound)" } ?? "a number"
        case .bool: s = "true or false"
        case .boolString: s = "\"true\" or \"false\""
        case .commaList: s = "values separated by commas"
        case .status: s = TrackingStatus.allCases.map(\.rawValue).joined(separator: ", ")
        case .statusChange: s = "4 (delivered), 7 (exception) or 8 (the carrier's own status)"
        case .list: s = "a list of texts"
        case .record: s = "a record"
        case .records: s = "a list of records"
        }
        if let maxLength { s += " of at most \(maxLength) characters" }
        if let count { s += ", at most \(count) of them" }
        return s
    }

    /// A problem with the API's words for the codes that have their own (4013, 4014, 4015,
    /// 4033), and `message` for 4012.
    func problem(_ code: MetaCode, _ message: String) -> Problem {
        Problem(field: name, code: code, message: code == .badRequest ? message : code.message, expected: expected)
    }

    /// Reads a value as the API receives it (JSON body or query text) and checks it:
    /// the value in its wire form, or the problem the API answers with.
    public func decode(_ value: JSON) -> Result<JSON, Problem> {
        // Made only when refused: `expected` builds its words each time.
        func refused() -> Problem { problem(invalidCode, "\(name) must be \(expected).") }
        switch kind {
        case .string:
            guard let text = value.scalarText else {
                return .failure(problem(invalidCode, "\(name) must be a string, not \(value.kindName)."))
            }
            if let pattern, !pattern.matches(text) { return .failure(refused()) }
            // Counting characters takes a walk over the text; no more bytes than the limit
            // means no more characters, which is almost every text.
            if let maxLength, text.utf8.count > maxLength, text.count > maxLength {
                return .failure(problem(invalidCode, "\(name) takes at most \(maxLength) characters; \(text.count) were sent."))
            }
            return .success(.string(text))
        case .int, .time:
            let n: Int?
            switch value {
            case .int(let i): n = i
            case .string(let s): n = Int(s)
            default: n = nil
            }
            guard let n else { return .failure(problem(invalidCode, "\(name) must be an integer, not \(value.compactText).")) }
            if let range, !range.contains(n) { return .failure(refused()) }
            return .success(.int(n))
        case .number:
            let n: Double?
            switch value {
            case .int(let i): n = Double(i)
            case .double(let d): n = d
            case .string(let text): n = Double(text)
            default: n = nil
            }
            guard let n, n.isFinite else { return .failure(refused()) }
            if let range, n < Double(range.lowerBound) || n > Double(range.upperBound) { return .failure(refused()) }
            return .success(value)
        case .bool:
            guard case .bool = value else { return .failure(refused()) }
            return .success(value)
        case .boolString:
            guard case .string(let s) = value, s == "true" || s == "false" else {
                return .failure(problem(invalidCode, "\(name) must be the string \"true\" or \"false\"."))
            }
            return .success(value)
        case .status:
            guard let s = value.stringValue, TrackingStatus(rawValue: s) != nil else { return .failure(refused()) }
            return .success(value)
        case .statusChange:
            let code: Int?
            switch value {
            case .int(let n): code = n
            case .string(let s): code = Int(s)
            default: code = nil
            }
            guard let code, StatusChange(rawValue: code) != nil else { return .failure(refused()) }
            return .success(.int(code))
        case .commaList:
            // A JSON body may carry the values as a list (POST /trackings/get).
            guard value.stringValue != nil || value.listValue != nil else { return .failure(refused()) }
            let text = value.parameterText
            let values = text.split(separator: ",").map { String($0).trimmingBlanks() }
            if let count, values.count > count {
                return .failure(problem(invalidCode, "\(name) takes up to \(count) values; \(values.count) were sent."))
            }
            return .success(.string(values.joined(separator: ",")))
        case .list:
            guard let items = value.listValue, items.allSatisfy({ $0.stringValue != nil }) else {
                return .failure(problem(invalidCode, "\(name) must be a list of strings."))
            }
            if let count, items.count > count {
                return .failure(problem(countCode, "\(name) takes up to \(count) values; \(items.count) were sent."))
            }
            return .success(value)
        case .record:
            guard value.recordValue != nil else { return .failure(refused()) }
            return .success(value)
        case .records:
            guard value.listValue != nil else { return .failure(refused()) }
            return .success(value)
        }
    }

    /// A value as a user gives it (a word, a number, a list, `true`) in the wire form the
    /// field's kind has, checked: `archived=true` becomes `"true"`, `status=delivered` 4, a
    /// list of numbers for a comma list `a,b`, a number for a text its digits.
    public func encode(_ value: JSON) -> Result<JSON, Problem> {
        switch (kind, value) {
        case (.boolString, .bool(let b)): return decode(.string(b ? "true" : "false"))
        case (.statusChange, _):
            let word = value.intValue.map(String.init) ?? value.stringValue ?? ""
            guard let change = StatusChange(word: word) else { return decode(value) }
            return .success(.int(change.rawValue))
        case (.commaList, .list(let items)):
            if let count, items.count > count {
                return .failure(problem(invalidCode, "\(name) takes up to \(count) values; \(items.count) were given."))
            }
            return decode(.string(items.map(\.description).joined(separator: ",")))
        case (.commaList, .int), (.commaList, .double): return decode(.string(value.compactText))
        case (.list, .string): return decode(.list([value]))
        default: return decode(value)
        }
    }
}
