import Testing
import TrackingMore

/// The v2 webhook signature: hex HMAC-SHA256 of timeStr keyed with the account's email.
@Suite struct WebhookSignatureTests {
    @Test func matchesAnIndependentHMAC() {
        // python3: hmac.new(b"sandbox@example.org", b"1767225600", hashlib.sha256).hexdigest()
        #expect(Webhook.signature(timeStr: "1767225600", email: "sandbox@example.org")
            == "71ef8cf80ae2a768a940e6b57632c14a48cf0f109239e05406c07580be1bf7b7")
    }

    @Test func verifiesAndRejects() {
        let hook = Webhook(tracking: ["tracking_number": "RR123456785CN", "status": "delivered"], timeStr: "1767225600", email: "sandbox@example.org")
        #expect(hook.isSigned(by: "sandbox@example.org"))
        #expect(!hook.isSigned(by: "someone@example.org"))
        var tampered = hook
        tampered.timeStr = "1767225601"
        #expect(!tampered.isSigned(by: "sandbox@example.org"))
        let read = Webhook(body: hook.json.bytes)
        #expect(read == hook)
        #expect(Webhook(body: Array("{\"meta\":{}}".utf8)) == nil)
        #expect(Webhook(body: Array("not json".utf8)) == nil)
        var unsigned = hook
        unsigned.signature = ""
        #expect(!unsigned.isSigned(by: "sandbox@example.org"))
    }
}
