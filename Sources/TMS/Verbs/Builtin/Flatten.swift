import TrackingMore

extension BuiltinVerbs {
    static let flatten = Verb(
        Signature(
            "flatten", category: .data, input: "stream of lists", output: "stream",
            summary: "the items of lists in the input, one level down",
            examples: [("[[1, 2], [3], 4] | flatten", "1 2 3 4"), ("list | each { $it.origin_info.trackinfo } | flatten", "every checkpoint")])
    ) { call in
        let stream = try call.inputStream()
        var pending: [Value] = []
        var index = 0
        return .stream(ValueStream {
            while index >= pending.count {
                guard let next = try await stream.next() else { return nil }
                if case .list(let l) = next {
                    pending = l
                } else {
                    pending = [next]
                }
                index = 0
            }
            defer { index += 1 }
            return pending[index]
        })
    }
}
