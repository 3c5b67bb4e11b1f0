import TrackingMore

extension APIVerbs {
    static let list = Verb(
        signature(
            .list, input: "nothing", output: "stream of trackings",
            summary: "list trackings with the filters given; pages are fetched as they are read, so list | first 5 makes one request",
            examples: [("list status=delivered | count", ""), ("list created_at_min=2024-05-01 | save may.json", "")])
    ) { call in
        var query: [(String, String)] = []
        var pageSize = Catalog.defaultPageSize
        var firstPage = 1
        // Every filter is checked and encoded by its catalog field (limit 1...2000, page from 1,
        // a status word, at most 40 numbers or orders), as the sandbox checks it.
        for (name, value, span) in call.keywordValues {
            let wire = try await apiValue(name, value, span, call)
            switch name {
            case "limit": pageSize = wire.intValue ?? pageSize
            case "page": firstPage = wire.intValue ?? firstPage
            default: query.append((name, wire.description))
            }
        }
        var page = firstPage
        var buffer: [Value] = []
        var index = 0
        var done = false
        return .stream(ValueStream {
            while index >= buffer.count {
                if done { return nil }
                let (request, endpoint) = request(.list, query: query + [("page", String(page)), ("limit", String(pageSize))])
                let data = try await call.send(request, endpoint)
                buffer = try AnswerShape.list(data["items"], "data.items", endpoint, call.span)
                index = 0
                // `total` is a string in real answers: read it leniently.
                let total = data["total"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } } ?? 0
                // Checked: a page number near Int.max is the last page there can be.
                let (read, overflow) = page.multipliedReportingOverflow(by: pageSize)
                done = buffer.count < pageSize || overflow || read >= total || page == Int.max
                if !done { page += 1 }
                try call.remember(.list(buffer))
            }
            defer { index += 1 }
            return buffer[index]
        })
    }
}
