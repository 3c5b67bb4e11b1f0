import Synchronization
import TrackingMore

/// API key → its hash (the account it names), remembered so that a key is hashed once, not on
/// every request. Only the hashing is cached: whether the key is still active is asked of the
/// store on every request, so a revoked key is refused from the next request on.
/// A key found in the cache is compared with the one asked for in constant time (`Secret`):
/// the table's hashing is seeded at random per process, and equality never stops early.
final class KeyCache: Sendable {
    private struct Secret: Hashable {
        let bytes: [UInt8]
        static func == (a: Secret, b: Secret) -> Bool { ConstantTime.equal(a.bytes, b.bytes) }
        func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
    }

    private let hashes = Mutex<[Secret: String]>([:])
    /// Forgets everything past this many keys (a class has a few dozen), so that a client
    /// sending random keys cannot grow it without bound.
    static let most = 10_000

    func hash(_ key: String) -> String {
        let secret = Secret(bytes: Array(key.utf8))
        if let known = hashes.withLock({ $0[secret] }) { return known }
        let hash = KeyHash.of(key)
        hashes.withLock { table in
            if table.count >= KeyCache.most { table.removeAll() }
            table[secret] = hash
        }
        return hash
    }
}
