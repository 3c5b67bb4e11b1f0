import TrackingMore

/// The diagnostics of the reference verbs, `status` and `fields`.
extension Diagnostic {
    /// `status transit009`: not a status, a sub-status, or a number `put` accepts.
    static func unknownStatusCode(_ span: Span, _ code: String, candidates: [String]) -> Diagnostic {
        if let n = Int(code) {
            return Diagnostic(
                code: "E0250", message: "\(n) is not a status number", primary: Label(span, "not 4, 7 or 8"),
                help: "put accepts 4 (delivered), 7 (exception) and 8 (original); the API documents no other status numbers")
        }
        return Diagnostic(
            code: "E0250", message: "unknown status '\(code)'", primary: Label(span, "not a status or sub-status"),
            help: didYouMean(code, candidates) ?? "'status' alone lists every status and sub-status")
    }

    /// `status $t.substatus` of a tracking that has none yet.
    static func nullStatusCode(_ span: Span) -> Diagnostic {
        Diagnostic(
            code: "E0250", message: "no status code: the value is null", primary: Label(span, "null"),
            help: "a tracking's substatus is null until the carrier gives a detail; 'status' alone lists every code")
    }

    /// `fields order`: not one of the field lists.
    static func unknownFieldList(_ span: Span, _ name: String, lists: [String], fieldOf: String?) -> Diagnostic {
        let help: String
        if let fieldOf {
            help = "'\(name)' is a field of \(fieldOf): fields \(fieldOf) | where field == \(name)"
        } else {
            help = didYouMean(name, lists).map { $0 + " (the lists are " + lists.joined(separator: ", ") + ")" }
                ?? "the lists are " + lists.joined(separator: ", ")
        }
        return Diagnostic(code: "E0251", message: "no field list '\(name)'", primary: Label(span, "not a list of fields"), help: help)
    }
}
