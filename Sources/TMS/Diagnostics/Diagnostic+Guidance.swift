import TrackingMore

/// Diagnostics that tell a person what to type instead: a number given alone, a value that
/// is close to a known one, a value that needs quotes.
extension Diagnostic {
    /// `get NUMBER` for a number the account does not hold.
    static func numberNotStored(_ span: Span, verb: String, number: String, candidates: [String]) -> Diagnostic {
        let help: String
        switch candidates.count {
        case 0: help = "detect found no carrier for it either: check the number, or give the carrier: \(verb) CARRIER \(number)"
        case 1: help = "it looks like \(candidates[0]): create it first with: create \(candidates[0]) \(number)"
        default: help = "it could be " + candidates.prefix(5).joined(separator: ", ") + ": create it first with: create \(candidates[0]) \(number)"
        }
        return Diagnostic(
            code: "E0290", message: "no tracking \(number) in this account", primary: Label(span, "looked up by number alone"), help: help)
    }

    /// `get NUMBER` for a number stored under several carriers.
    static func numberAmbiguous(_ span: Span, verb: String, number: String, carriers: [String]) -> Diagnostic {
        Diagnostic(
            code: "E0281", message: "\(number) is stored under \(carriers.count) carriers: \(carriers.joined(separator: ", "))",
            primary: Label(span, "which one?"), help: "say which: \(verb) \(carriers[0]) \(number)")
    }

    /// `create NUMBER` when detection gives no single carrier.
    static func carrierNotDetected(_ span: Span, verb: String, number: String, candidates: [String]) -> Diagnostic {
        if candidates.isEmpty {
            return Diagnostic(
                code: "E0282", message: "no carrier detected for \(number)", primary: Label(span, "no carrier given"),
                help: "give the carrier: \(verb) CARRIER \(number) (carriers search=NAME finds its code)")
        }
        return Diagnostic(
            code: "E0282", message: "\(number) could be " + candidates.prefix(5).joined(separator: ", "),
            primary: Label(span, "no carrier given"), help: "say which: \(verb) \(candidates[0]) \(number)")
    }
}

extension Diagnostic {
    /// `title=Running shoes`: a word after a `key=value` where no argument fits.
    static func unquotedValue(_ span: Span, verb: String, name: String, value: Span, words: Span) -> Diagnostic {
        let text = String(decoding: value.file.bytes[value.start..<words.end], as: UTF8.self)
        let quoted = text.contains("\"") ? "'" + text + "'" : "\"" + text + "\""
        return Diagnostic(
            code: "E0105", message: "too many arguments for '\(verb)'", primary: Label(span, "not expected"),
            help: "a value with blanks needs quotes: \(name)=\(quoted)")
    }
}

extension Diagnostic {
    /// `list status=exceptoin`, `list status=7`: reading filters by status words.
    static func listStatus(_ span: Span, _ value: Value) -> Diagnostic {
        let words = TrackingStatus.allCases.map(\.rawValue)
        let text = value.stringValue ?? value.compactText
        let help: String
        if let change = StatusChange(word: text), Int(text) != nil {
            let word = change == .original ? "the carrier's own status" : "\(change)"
            help = "reading uses status words: \(text) is what put sends for \(word)" + (change == .original ? "" : "; did you mean status=\(change)?")
        } else {
            help = didYouMean(text, words, prefix: "status=") ?? "the status words are " + words.joined(separator: ", ")
        }
        return Diagnostic(
            code: "E0212", message: "status must be " + words.joined(separator: ", ") + ", not \(value.summary)",
            primary: Label(span), help: help)
    }

    /// `carriers search=upss` found nothing.
    static func noCarrierMatches(_ span: Span, _ search: String, suggestion: String?) -> Diagnostic {
        Diagnostic(
            .warning, code: "W0002", message: "no carrier's code or name contains '\(search)'", primary: Label(span, "nothing matched"),
            help: suggestion.map { "did you mean carriers search=\($0.lowercased())?" } ?? "a shorter part of the name matches more: carriers search=post")
    }

    /// `create upss 1Z...`: a carrier code the local catalog does not have, close to one it has.
    static func unknownCarrier(_ span: Span, _ code: String, suggestions: [String]) -> Diagnostic {
        Diagnostic(
            code: "E0287", message: "unknown carrier code '\(code)'", primary: Label(span, "not a carrier code"),
            help: "did you mean " + suggestions.map { "'\($0)'" }.joined(separator: " or ") + "? (carriers search=NAME lists codes)")
    }

    /// Every candidate as close as the closest (at most three), those sharing the word's
    /// start first: `upss` → ups, usps.
    static func closestAll(_ word: String, _ candidates: [String]) -> [String] {
        guard let best = closest(word, candidates) else { return [] }
        let w = Array(word.lowercased())
        let distance = editDistance(w, Array(best.lowercased()))
        let tied = candidates.filter { editDistance(w, Array($0.lowercased())) == distance }
        let (prefixed, others) = (tied.filter { word.hasPrefix($0) || $0.hasPrefix(word) }, tied.filter { !(word.hasPrefix($0) || $0.hasPrefix(word)) })
        return Array((prefixed + others).prefix(3))
    }

    /// Records for a bulk create without `tracking_number` or `carrier_code`.
    static func missingColumns(_ span: Span, verb: String, missing: [String], columns: [String]) -> Diagnostic {
        var guesses: [String] = []
        for field in missing {
            let parts = field.split(separator: "_").map(String.init)
            if let c = columns.first(where: { col in parts.contains(col.lowercased()) || closest(col, [field]) != nil }) {
                guesses.append("\(c) → \(field)")
            }
        }
        let help = guesses.isEmpty
            ? "each record needs tracking_number and carrier_code; its columns are " + columns.prefix(10).joined(separator: ", ")
            : "did you mean " + missing.joined(separator: ", ") + "? rename the columns: " + guesses.joined(separator: ", ")
        return Diagnostic(
            code: "E0288", message: "'\(verb)' needs records with " + missing.joined(separator: " and ") + ": nothing was sent",
            primary: Label(span, "missing " + missing.joined(separator: ", ")), help: help)
    }
}
