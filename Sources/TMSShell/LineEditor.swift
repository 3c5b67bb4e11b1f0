import CEditLine
import TrackingMore

#if canImport(Glibc)
import Glibc
#endif

/// Line editing with libedit: prompt, emacs or vi keys (from ~/.editrc), history, TAB
/// completion, and Ctrl-C as a key that clears the line. The only code that touches libedit.
///
/// Use one editor from one thread; it must outlive nothing but itself (`el_end` in deinit).
public final class LineEditor {
    public enum Input {
        case line(String)
        /// Ctrl-C while editing: the line is dropped.
        case interrupted
        /// Ctrl-D on an empty line.
        case end
    }

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private var prompt: UnsafeMutablePointer<CChar>
    private var interrupted = false
    /// Candidates for the text before the cursor: each is the whole word to put in place of
    /// the last word typed.
    public var complete: (String) -> [String] = { _ in [] }
    /// The API keys: an entry that holds one is never remembered, so never saved.
    public var secrets: [String] = []

    public init?(program: String) {
        // Without a UTF-8 locale libedit drops non-ASCII input.
        if setlocale(LC_CTYPE, "") == nil { setlocale(LC_CTYPE, "C.UTF-8") }
        guard let e = CEditLine_el_init(program), let h = history_init() else { return nil }
        editLine = e
        history = h
        prompt = strdup("> ")
        CEditLine_history_setsize(history, 1000)
        CEditLine_history_setunique(history, 1)
        // EL_EDITOR resets bindings: set it first, then add functions, then bind them.
        CEditLine_el_set_editor(e, "emacs")
        CEditLine_el_set_signal(e, 1)
        CEditLine_el_set_history(e, history)
        CEditLine_el_set_clientdata(e, Unmanaged.passUnretained(self).toOpaque())
        CEditLine_el_set_prompt(e) { e in
            guard let e, let data = CEditLine_el_get_clientdata(e) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().prompt
        }
        // Ctrl-C is a key while editing (it clears the line), not a signal.
        CEditLine_el_setty(e, "-d", "-isig")
        CEditLine_el_add_function(e, "tms-interrupt", "drop the line") { e, _ in
            guard let e, let data = CEditLine_el_get_clientdata(e) else { return UInt8(CC_ERROR) }
            Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().interrupted = true
            return UInt8(CC_NEWLINE)
        }
        CEditLine_el_add_function(e, "tms-complete", "complete the word") { e, _ in
            guard let e, let data = CEditLine_el_get_clientdata(e) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().completeAtCursor()
        }
        CEditLine_el_add_function(e, "tms-suspend", "suspend tms") { _, _ in
            kill(0, SIGTSTP)
            return UInt8(CC_REDISPLAY)
        }
        CEditLine_el_bind(e, "^C", "tms-interrupt")
        CEditLine_el_bind(e, "^I", "tms-complete")
        CEditLine_el_bind(e, "^Z", "tms-suspend")
        // ~/.editrc (e.g. `bind -v` for vi keys).
        el_source(e, nil)
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(prompt)
    }

    /// Sets the prompt; `color` (an ANSI code such as "31" for red) paints it.
    public func setPrompt(_ text: String, color: String? = nil) {
        setPrompt(color.map { "\u{1}\u{1B}[\($0)m\u{1}" + text + "\u{1}\u{1B}[0m\u{1}" } ?? text)
    }

    private func setPrompt(_ text: String) {
        free(prompt)
        prompt = strdup(text)
    }

    /// Reads one line (without its newline).
    public func read() -> Input {
        interrupted = false
        var count: Int32 = 0
        guard let raw = el_gets(editLine, &count) else {
            if !interrupted {
                // Ctrl-D on an empty line: end the prompt's line.
                CEditLine_print("\n")
                return .end
            }
            return .interrupted
        }
        let line = String(cString: raw)  // copied: libedit reuses the buffer
        if interrupted {
            CEditLine_print("\n")
            return .interrupted
        }
        return .line(line.hasSuffix("\n") ? String(line.dropLast()) : line)
    }

    /// Adds an entry to the history, unless it holds one of `secrets` (`holdsKey`).
    public func remember(_ entry: String) {
        guard !secrets.contains(where: { holdsKey(entry, $0) }) else { return }
        CEditLine_history_enter(history, entry)
    }

    public func loadHistory(_ path: String) {
        CEditLine_history_load(history, path)
    }

    /// Saves the history, readable and writable by the user alone.
    public func saveHistory(_ path: String) {
        CEditLine_history_save(history, path)
        chmod(path, 0o600)
    }

    private func completeAtCursor() -> UInt8 {
        guard let info = el_line(editLine)?.pointee, let start = info.buffer else { return UInt8(CC_ERROR) }
        let length = info.cursor - start
        let before = String(decoding: UnsafeBufferPointer(start: UnsafeRawPointer(start).assumingMemoryBound(to: UInt8.self), count: length), as: UTF8.self)
        let word = String(before.reversed().prefix { $0 != " " && $0 != "|" && $0 != "(" && $0 != "[" && $0 != "{" }.reversed())
        let candidates = complete(before)
        guard !candidates.isEmpty else { return UInt8(CC_ERROR) }
        if candidates.count == 1, let only = candidates.first {
            el_insertstr(editLine, String(only.dropFirst(word.count)) + (only.hasSuffix("=") || only.hasSuffix(".") || only.hasSuffix("/") ? "" : " "))
            return UInt8(CC_REFRESH)
        }
        let common = candidates.dropFirst().reduce(candidates[0]) { prefix, c in String(zip(prefix, c).prefix { $0 == $1 }.map(\.0)) }
        if common.count > word.count {
            el_insertstr(editLine, String(common.dropFirst(word.count)))
            return UInt8(CC_REFRESH)
        }
        CEditLine_print("\n" + candidates.joined(separator: "  ") + "\n")
        return UInt8(CC_REDISPLAY)
    }
}
