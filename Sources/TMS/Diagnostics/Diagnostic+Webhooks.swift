/// The diagnostics of `listen` (the verb lives in TMSListen, which a host registers).
extension Diagnostic {
    /// `listen port=70000`, `listen timeout=-1s`, `listen forward_to=ftp://x`.
    public static func listenOption(_ span: Span, parameter: String, expected: String, found: String) -> Diagnostic {
        badValue(span, parameter: parameter, expected: expected, found: found)
    }

    /// The receiver could not bind its port.
    public static func cannotListen(_ span: Span, port: Int, reason: String) -> Diagnostic {
        Diagnostic(
            code: "E0280", message: "cannot listen on 127.0.0.1:\(port): \(reason)", primary: Label(span),
            help: port == 0 ? nil : "choose another port, or port=0 for a free one")
    }
}
