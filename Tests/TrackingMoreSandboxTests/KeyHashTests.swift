import Testing
@testable import TrackingMoreSandbox
import TrackingMore

/// Keys are kept as swift-crypto's SHA-256, in hex, as before (stored databases still match).
@Suite struct KeyHashTests {
    @Test func theHashIsSHA256InHex() {
        #expect(KeyHash.of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(KeyHash.of("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func theKeyCacheFindsEachKeyByEqualityInConstantTime() {
        let cache = KeyCache()
        let a = "key-aaaaaaaaaaaaaaaa", b = "key-aaaaaaaaaaaaaaab"
        #expect(cache.hash(a) == KeyHash.of(a))
        #expect(cache.hash(b) == KeyHash.of(b))
        #expect(cache.hash(a) == KeyHash.of(a))
        #expect(ConstantTime.equal(Array(a.utf8), Array(a.utf8)))
        #expect(!ConstantTime.equal(Array(a.utf8), Array(b.utf8)))
        #expect(!ConstantTime.equal(Array(a.utf8), Array(a.utf8.dropLast())))
    }
}
