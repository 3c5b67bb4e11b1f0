import TrackingMore

/// Reading an answer's data by the API's shapes: a part that is missing or null is empty, but
/// one of the wrong kind (`data.items` a string) is an error, never an empty result that would
/// make a broken server look like an empty account.
enum AnswerShape {
    static func list(_ value: Value?, _ name: String, _ endpoint: Endpoint, _ span: Span) throws -> [Value] {
        switch value {
        case nil, .null?: return []
        case .list(let items)?: return items
        case let other?: throw TMSError(.badAnswer(span, endpoint: endpoint.title, part: name, found: other.summary), exitCode: ExitCode.network)
        }
    }
}
