import Synchronization

/// API key → its hash (the account it names), remembered so that a key is hashed once, not on
/// every request. Only the hashing is cached: whether the key is still active is asked of the
/// store on every request, so a revoked key is refused from the next request on.
final class KeyCache: Sendable {
    private let hashes = Mutex<[String: String]>([:])
    /// Forgets everything past this many keys (a class has a few dozen), so that a client
    /// sending random keys cannot grow it without bound.
    static let most = 10_000

    func hash(_ key: String) -> String {
        if let known = hashes.withLock({ $0[key] }) { return known }
        let hash = KeyHash.of(key)
        hashes.withLock { table in
            if table.count >= KeyCache.most { table.removeAll() }
            table[key] = hash
        }
        return hash
    }
}
