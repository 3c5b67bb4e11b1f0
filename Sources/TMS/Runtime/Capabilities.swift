import TrackingMore

/// What the programs an interpreter runs may do. A host (a helpdesk app, a bot) narrows them;
/// each limit, when hit, is an error that names it.
public struct Capabilities: Sendable {
    /// Refuse every write request, through the same transport guard as `--read-only`.
    public var readOnly = false
    /// When set, only these verbs (and the program's own defs) may be used; anything else is
    /// refused before the program runs.
    public var allowedVerbs: Set<String>?
    /// The most API requests a program may make, in all.
    public var requestBudget: Int?
    /// The moment after which no statement and no request may start.
    public var deadline: ContinuousClock.Instant?
    /// Whether `open`, `save` and `source` may touch files.
    public var fileAccess = true

    public init(
        readOnly: Bool = false, allowedVerbs: Set<String>? = nil, requestBudget: Int? = nil,
        deadline: ContinuousClock.Instant? = nil, fileAccess: Bool = true
    ) {
        self.readOnly = readOnly
        self.allowedVerbs = allowedVerbs
        self.requestBudget = requestBudget
        self.deadline = deadline
        self.fileAccess = fileAccess
    }

    /// Everything allowed: what the `tms` command line runs with.
    public static let unrestricted = Capabilities()

    /// Stops when the deadline has passed.
    func checkDeadline(_ span: Span) throws {
        if let deadline, ContinuousClock.now >= deadline { throw TMSError(.deadlinePassed(span)) }
    }

    func allows(_ verb: String) -> Bool {
        allowedVerbs.map { $0.contains(verb) } ?? true
    }
}
