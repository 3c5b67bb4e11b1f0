import TrackingMore

/// A message about the user's input: a parse error, a wrong argument, a runtime failure.
///
/// Diagnostics are values. The parser and checker collect them; the interpreter throws them
/// inside `TMSError`; the renderer turns them into text at the edge.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable {
        case error, warning, note
    }

    /// A span with an optional label shown beside its underline.
    public struct Label: Sendable, Hashable {
        public var span: Span
        public var message: String

        public init(_ span: Span, _ message: String = "") {
            self.span = span
            self.message = message
        }
    }

    public var severity: Severity
    /// A stable code, e.g. `E0102`; documented in docs/language.md.
    public var code: String
    /// Lowercase, no trailing period.
    public var message: String
    public var primary: Label?
    public var secondary: [Label]
    public var notes: [String]
    public var help: String?

    public init(
        _ severity: Severity = .error, code: String, message: String, primary: Label? = nil,
        secondary: [Label] = [], notes: [String] = [], help: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.primary = primary
        self.secondary = secondary
        self.notes = notes
        self.help = help
    }

    /// "file:line:column" of the primary span, when there is one.
    public var location: String? {
        guard let span = primary?.span else { return nil }
        let (line, column) = span.file.location(of: span.start)
        return "\(span.file.name):\(line):\(column)"
    }

    /// Line and column of the primary span.
    public var lineColumn: (line: Int, column: Int)? {
        primary.map { $0.span.file.location(of: $0.span.start) }
    }
}

/// Anything that stops a tms program: one or more diagnostics and the exit code they imply.
public struct TMSError: Error, Sendable {
    public var diagnostics: [Diagnostic]
    public var exitCode: Int32
    /// For an error the API answered: its meta and the endpoint.
    public var api: (meta: Meta, endpoint: String)?

    public init(_ diagnostics: [Diagnostic], exitCode: Int32) {
        self.diagnostics = diagnostics
        self.exitCode = exitCode
    }

    public init(_ diagnostic: Diagnostic, exitCode: Int32 = ExitCode.runtime) {
        self.init([diagnostic], exitCode: exitCode)
    }
}

extension TMSError {
    /// The error as a record, from its first diagnostic: what `catch e` binds and what
    /// `--output json` writes to stderr. `code` is the diagnostic's code, or the API's meta code
    /// as a number with its `type` and the `endpoint`; `file`, `line`, `column` and `help` are
    /// there when the error has them; `exit_code` is the code it exits with uncaught.
    public var record: Record {
        let d = diagnostics.first
        var r = Record()
        r["code"] = api.map { .int($0.meta.code) } ?? .string(d?.code ?? "")
        r["message"] = .string(d?.message ?? "")
        if let api {
            r["type"] = .string(api.meta.type)
            r["endpoint"] = .string(api.endpoint)
        }
        if let d, let (line, column) = d.lineColumn {
            r["file"] = .string(d.primary?.span.file.name ?? "")
            r["line"] = .int(line)
            r["column"] = .int(column)
        }
        if let help = d?.help { r["help"] = .string(help) }
        r["exit_code"] = .int(Int(exitCode))
        return r
    }

    /// An API answer whose meta code is an error: the code, type and message, the endpoint,
    /// and the exit code SHELL.md gives it (4 for keys, 6 for the server's own failures, 5 else).
    static func api(_ meta: Meta, _ endpoint: Endpoint, _ request: APIRequest, _ span: Span) -> TMSError {
        let message = meta.message.hasSuffix(".") ? String(meta.message.dropLast()) : meta.message
        let help = MetaCode(rawValue: meta.code).flatMap { $0.isSuccess ? nil : $0.advice.whatToDo }
        let d = Diagnostic(
            code: "API\(meta.code)", message: "\(message.prefix(1).lowercased() + message.dropFirst()) (API \(meta.code))",
            primary: .init(span, "\(request.method) \(request.path)"), notes: ["\(meta.type): \(endpoint.title)"], help: help)
        let exit: Int32
        if let code = MetaCode(rawValue: meta.code), code.refusesTheKey {
            exit = ExitCode.configuration
        } else if [500, 502, 503, 504].contains(meta.code) {
            // The server's own failures (HTTP 5xx statuses come through as meta codes).
            exit = ExitCode.network
        } else {
            exit = ExitCode.apiRefused
        }
        var error = TMSError(d, exitCode: exit)
        error.api = (meta, endpoint.title)
        return error
    }
}

/// The process exit codes of SHELL.md.
public enum ExitCode {
    public static let success: Int32 = 0
    public static let runtime: Int32 = 1
    public static let usage: Int32 = 2
    public static let configuration: Int32 = 4
    public static let apiRefused: Int32 = 5
    public static let network: Int32 = 6
    public static let bulkPartial: Int32 = 7
    public static let interrupted: Int32 = 130
}
