/// An API key as any text tms makes shows it: `••••9f3a`. The one place keys are masked.
/// It never shows more than the last 4 characters, and none of a key shorter than 12 (or of
/// one that is not a valid key), since 4 characters of a short key give too much of it away.
public func maskKey(_ key: String) -> String {
    guard key.utf8.count >= 12, keyProblem(key) == nil else { return "••••" }
    return "••••" + String(key.suffix(4))
}

/// Why a key cannot be sent, in words that never include the key; nil when it can. A key is
/// printable ASCII without blanks: a control character (often the `\r` a CRLF key file
/// leaves) or a space would be sent in the header as it is, or refused by the HTTP library
/// with the whole header in its message.
public func keyProblem(_ key: String) -> String? {
    if key.isEmpty { return "the API key is empty" }
    for (i, b) in key.utf8.enumerated() where !(0x21...0x7E).contains(b) {
        let what: String
        switch b {
        case 0x0D: what = "a carriage return (\\r; a key file saved with CRLF line ends leaves one)"
        case 0x0A: what = "a line feed (\\n)"
        case 0x20: what = "a space"
        case 0x09: what = "a tab"
        case 0x00..<0x20, 0x7F: what = "a control character"
        default: what = "a non-ASCII character"
        }
        return "the API key contains \(what) at byte \(i + 1) of \(key.utf8.count); keys are printable ASCII without blanks"
    }
    return nil
}

/// Whether `text` holds `key`, or any 8 of its characters in a row (the key typed with a typo,
/// or half of it): text that must not be saved (the REPL's history) or shown as it is. Blanks
/// around the key (the `\r` a CRLF key file leaves) do not count.
public func holdsKey(_ text: String, _ key: String) -> Bool {
    let key = Array(key.trimmingBlanks())
    guard !key.isEmpty else { return false }
    let run = min(8, key.count)
    for start in 0...(key.count - run) where text.contains(String(key[start..<start + run])) {
        return true
    }
    return false
}

/// `text` with each of `keys` masked (`maskKey`); text that still holds part of one
/// (`holdsKey`) is masked whole.
public func maskingKeys(_ text: String, _ keys: [String]) -> String {
    var text = text
    for key in keys where holdsKey(text, key) {
        text = text.replacingAll(key.trimmingBlanks(), with: maskKey(key))
        if holdsKey(text, key) { return "••••" }
    }
    return text
}
