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
