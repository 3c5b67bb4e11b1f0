import Crypto

/// A v2 webhook as TrackingMore sends it: a JSON POST whose body carries the tracking and a
/// `verifyInfo` object with `timeStr` and `signature`, the signature being the hex HMAC-SHA256
/// of `timeStr` keyed with the account's registered email
/// (shared/reference/trackingmore-v2.md §F).
///
/// The body is `{"meta": {...}, "data": TRACKING, "verifyInfo": {"timeStr", "signature"}}`;
/// the `meta`/`data` wrapper is a guess (the reference marks the nesting unconfirmed), made to
/// match the API's own answers so one decoder reads both.
public struct Webhook: Sendable, Equatable {
    /// The tracking, as `GET /trackings/{carrier}/{number}` shows it.
    public var tracking: JSON
    public var timeStr: String
    public var signature: String

    /// A webhook for `tracking` sent at `timeStr`, signed with the account's email.
    public init(tracking: JSON, timeStr: String, email: String) {
        self.tracking = tracking
        self.timeStr = timeStr
        self.signature = Webhook.signature(timeStr: timeStr, email: email)
    }

    /// Reads a webhook body; nil when it is not JSON with a `data` object.
    public init?(body: [UInt8]) {
        guard let json = try? JSON.parse(body), let data = json["data"], data.recordValue != nil else { return nil }
        tracking = data
        let info = json["verifyInfo"]
        switch info?["timeStr"] {
        case .string(let s)?: timeStr = s
        case .int(let n)?: timeStr = String(n)
        default: timeStr = ""
        }
        signature = info?["signature"]?.stringValue ?? ""
    }

    /// The body to POST.
    public var json: JSON {
        [
            "meta": ["code": 200, "type": "Success", "message": "Success"],
            "data": tracking,
            "verifyInfo": ["timeStr": .string(timeStr), "signature": .string(signature)],
        ]
    }

    /// Whether the signature is the one `email` makes for this `timeStr`. False when either
    /// is missing, as the official PHP library answers.
    public func isSigned(by email: String) -> Bool {
        !timeStr.isEmpty && !signature.isEmpty && Webhook.verify(timeStr: timeStr, signature: signature, email: email)
    }

    // The two functions below are the Swift snippet of docs/webhooks.md, word for word.

    /// The v2 signature: HMAC-SHA256 of timeStr, keyed with the account's email, in hex.
    public static func signature(timeStr: String, email: String) -> String {
        let key = SymmetricKey(data: Array(email.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(timeStr.utf8), using: key)
        return mac.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Compares in constant time, so the answer's timing tells nothing about the signature.
    public static func verify(timeStr: String, signature: String, email: String) -> Bool {
        let expected = Array(Webhook.signature(timeStr: timeStr, email: email).utf8)
        let given = Array(signature.lowercased().utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Compares secrets in a time that does not depend on where they differ. (`Webhook.verify`
/// keeps its own two lines: docs/webhooks.md quotes it whole, for a handler to copy.)
public enum ConstantTime {
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
