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
        for (name, value, span) in call.keywordValues {
            switch name {
            case "limit":
                guard let n = value.intValue, (1...Catalog.pageLimit).contains(n) else {
                    throw TMSError(.badValue(span, parameter: "limit", expected: "a page size from 1 to \(Catalog.pageLimit)", found: value.summary))
                }
                pageSize = n
            case "page":
                guard let n = value.intValue, n >= 1 else {
                    throw TMSError(.badValue(span, parameter: "page", expected: "a page number from 1", found: value.summary))
                }
                firstPage = n
            case "status":
                guard let s = value.stringValue, TrackingStatus(rawValue: s) != nil else {
                    throw TMSError(.listStatus(span, value))
                }
                query.append((name, s))
            case "numbers", "orders":
                let values = value.listValue?.map(\.description) ?? value.description.split(separator: ",").map(String.init)
                guard values.count <= Catalog.filterValuesLimit else {
                    throw TMSError(.badValue(span, parameter: name, expected: "at most \(Catalog.filterValuesLimit) values", found: "\(values.count)"))
                }
                query.append((name, values.joined(separator: ",")))
            default:
                query.append((name, (try await apiValue(name, value, span, call)).description))
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
                let data = try await call.interpreter.send(request, endpoint, call.span)
                buffer = try AnswerShape.list(data["items"], "data.items", endpoint, call.span)
                index = 0
                // `total` is a string in real answers: read it leniently.
                let total = data["total"].flatMap { $0.intValue ?? $0.stringValue.flatMap { Int($0) } } ?? 0
                // Checked: a page number near Int.max is the last page there can be.
                let (read, overflow) = page.multipliedReportingOverflow(by: pageSize)
                done = buffer.count < pageSize || overflow || read >= total || page == Int.max
                if !done { page += 1 }
                call.interpreter.remember(.list(buffer))
            }
            defer { index += 1 }
            return buffer[index]
        })
    }
}
