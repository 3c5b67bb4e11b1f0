import Testing

/// docs/webhooks.md's Swift verification snippet is tms's own signing code, word for word, so
/// the snippet a developer copies is the one the sandbox signs with (and the tests check).
@Suite struct WebhookDocTests {
    @Test func theSwiftSnippetIsTheSandboxsCode() throws {
        let root = ScriptTests.root
        let doc = String(decoding: try #require(readBytes(root + "/docs/webhooks.md")), as: UTF8.self)
        let source = String(decoding: try #require(readBytes(root + "/Sources/TrackingMore/Webhook.swift")), as: UTF8.self)
        let blocks = doc.components(separatedBy: "```swift\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
        #expect(blocks.count == 1)
        for block in blocks {
            #expect(block.contains("HMAC<SHA256>"))
            #expect(source.contains(block), "not in Sources/TrackingMore/Webhook.swift:\n\(block)")
        }
    }
}
