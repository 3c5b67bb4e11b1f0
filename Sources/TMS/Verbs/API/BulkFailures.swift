import TrackingMore

/// The items a bulk call's answer refused, summed by meta code so a person can act on them:
/// `100 of 100 items failed: 4016 tracking already exists ×100 — nothing to retry`. Only the
/// items worth sending again, later or once fixed, go to the failed-items file: not a create
/// refused because the tracking exists (4016), nor a delete refused because it does not (4017).
struct BulkFailures {
    struct Group {
        let code: Int
        let message: String
        var count: Int
        /// Whether sending these items again (later, or fixed) can succeed.
        let worthRetrying: Bool
    }

    /// By meta code, in the order each first appears.
    private(set) var groups: [Group] = []
    /// `carrier|number` of every refused item worth retrying.
    private(set) var worthRetrying: Set<String> = []
    let verb: String

    var count: Int { groups.reduce(0) { $0 + $1.count } }
    var worthRetryingCount: Int { groups.filter(\.worthRetrying).reduce(0) { $0 + $1.count } }

    /// Reads the refused items of a report (`BulkReport.refusals`).
    init(_ report: BulkReport, verb: String) {
        self.verb = verb
        for item in report.refusals { add(item) }
    }

    private mutating func add(_ item: JSON) {
        let code = item["code"]?.intValue ?? 0
        let known = MetaCode(rawValue: code)
        let gone = verb == "delete" && (code == MetaCode.trackingDoesNotExist.rawValue || code == MetaCode.notAddedYet.rawValue)
        let retry = !gone && known?.advice.retry != .never
        if retry { worthRetrying.insert(BulkFailures.key(item)) }
        if let i = groups.firstIndex(where: { $0.code == code }) {
            groups[i].count += 1
            return
        }
        var message = known?.message ?? item["message"]?.stringValue ?? "refused"
        if message.hasSuffix(".") { message.removeLast() }
        groups.append(Group(code: code, message: BulkFailures.midSentence(message), count: 1, worthRetrying: retry))
    }

    /// A message as it reads inside a sentence: "Tracking already exists" → "tracking already
    /// exists", while an acronym keeps its case ("HTTP 500 …" stays "HTTP 500 …").
    static func midSentence(_ message: String) -> String {
        let head = message.prefix(2)
        if head.count == 2, head.allSatisfy(\.isUppercase) { return message }
        return message.prefix(1).lowercased() + message.dropFirst()
    }

    static func key(_ item: JSON) -> String {
        (item["carrier_code"]?.description ?? "") + "|" + (item["tracking_number"]?.description ?? "")
    }

    /// The warning's message: how many failed of how many, by code.
    func message(of submitted: Int) -> String {
        let codes = groups.map { "\($0.code) \($0.message) ×\($0.count)" }.joined(separator: ", ")
        let tail = worthRetryingCount == 0 ? " — nothing to retry" : ""
        return "\(count) of \(submitted) items failed: \(codes)\(tail)"
    }

    /// What to do about each code, one note per code.
    var notes: [String] {
        groups.compactMap { g in MetaCode(rawValue: g.code).map { "\(g.code): \($0.advice.whatToDo)" } }
    }
}
