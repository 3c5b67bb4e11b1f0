import TrackingMore

/// What calls cost in tracking quota, as the API's documents say (reference §D) and, where
/// they are silent, as `Choices` decides.
enum Billing {
    /// Whether answering the endpoint may change the store: a write, or a call that costs
    /// quota. The others run in a read-only transaction.
    static func changesStore(_ endpoint: Endpoint) -> Bool {
        endpoint.writes || charges(endpoint)
    }

    static func charges(_ endpoint: Endpoint) -> Bool {
        switch endpoint.id {
        case .create, .batch, .remote, .aircargo, .sandboxSeed: return true
        default: return false
        }
    }
}

extension Call {
    /// Refuses with 4021 unless the account has `units` of quota left.
    func requireQuota(_ units: Int) throws {
        try Call.requireQuota(units, left: try store.account(account).quota)
    }

    static func requireQuota(_ units: Int, left: Int) throws {
        guard left >= units else {
            throw Refusal(.quotaUsedUp, units == 1 || left == 0
                ? "The remaining quota is used up."
                : "This call needs \(units) quota; \(left) \(left == 1 ? "is" : "are") left.")
        }
    }

    /// Spends `units` of the account's quota, or refuses with 4021 when fewer are left: one
    /// read of the account (each item of a batch is charged on its own).
    func charge(_ units: Int) throws {
        var a = try store.account(account)
        try Call.requireQuota(units, left: a.quota)
        a.quota -= units
        try store.save(account, a)
    }

    /// Counts one call of an endpoint billed "every `n` calls use one quota" (`remote`):
    /// refused with 4021 when no quota is left; the `n`th, `2n`th... call spends it.
    func chargeEvery(_ n: Int) throws {
        try requireQuota(1)
        var a = try store.account(account)
        a.remoteCalls += 1
        if a.remoteCalls % n == 0 { a.quota -= 1 }
        try store.save(account, a)
    }
}
