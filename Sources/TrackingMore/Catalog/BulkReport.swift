/// The answer of a bulk endpoint (`/trackings/batch`, `updatemore`, `delete`, `notupdate`):
/// how many items were submitted, how many were done, and each item's result. The sandbox
/// builds its answers with it; the verbs parse each chunk's answer with it, sum the chunks
/// and find the failed items. The shape of each endpoint's report is in the catalog
/// (`Endpoint.report`).
public struct BulkReport: Sendable, Equatable {
    /// How a bulk endpoint writes its report.
    public struct Shape: Sendable, Equatable {
        /// How items are listed.
        public enum Items: Sendable, Equatable {
            /// Done items in `trackings` (their tracking), refused ones in `errors`, each with
            /// its number, carrier, code and message.
            case errorsApart
            /// Every item in `trackings` with its number, carrier, code and message.
            case codeEach
            /// Every item in `trackings` as `{"meta": {number, carrier, code, type, message}}`.
            case metaEach
        }

        /// The name of the count of items done: `added`, `updated`, `delete`, `change`.
        public let doneKey: String
        public let items: Items

        public init(doneKey: String, items: Items) {
            self.doneKey = doneKey
            self.items = items
        }

        /// The fields of one item's result, in order (`type` only in a `meta` of its own).
        public var resultFields: [String] {
            ["tracking_number", "carrier_code", "code"] + (items == .metaEach ? ["type"] : []) + ["message"]
        }
    }

    public let shape: Shape
    public var submitted = 0
    public var done = 0
    public var trackings: [JSON] = []
    public var errors: [JSON] = []

    /// An empty report: nothing submitted.
    public init(_ shape: Shape) {
        self.shape = shape
    }

    /// A report read from an answer's `data`; fields it lacks count as empty.
    public init(_ shape: Shape, parsing data: JSON) {
        self.shape = shape
        submitted = BulkReport.count(data["submitted"])
        done = BulkReport.count(data[shape.doneKey])
        trackings = data["trackings"]?.listValue ?? []
        errors = data["errors"]?.listValue ?? []
    }

    /// Counts come as numbers, and from some servers as strings of digits.
    private static func count(_ v: JSON?) -> Int {
        v?.intValue ?? v?.stringValue.flatMap { Int($0) } ?? 0
    }

    /// The report in the API's shape.
    public var json: JSON {
        var r: Record = ["submitted": .int(submitted), shape.doneKey: .int(done), "trackings": .list(trackings)]
        if shape.items == .errorsApart { r["errors"] = .list(errors) }
        return .record(r)
    }

    /// Adds the report of another chunk: counts add up, lists are joined.
    public mutating func add(_ other: BulkReport) {
        submitted += other.submitted
        done += other.done
        trackings += other.trackings
        errors += other.errors
    }

    /// One item done; `answer` is what `errorsApart` endpoints list for it (the tracking).
    public mutating func succeeded(_ item: Record, answer: JSON? = nil) {
        submitted += 1
        done += 1
        switch shape.items {
        case .errorsApart: trackings.append(answer ?? .record(item))
        case .codeEach, .metaEach: trackings.append(result(item, Meta(.success)))
        }
    }

    /// One item refused with the API's meta.
    public mutating func refused(_ item: Record, _ meta: Meta) {
        submitted += 1
        switch shape.items {
        case .errorsApart: errors.append(result(item, meta))
        case .codeEach, .metaEach: trackings.append(result(item, meta))
        }
    }

    private func result(_ item: Record, _ meta: Meta) -> JSON {
        let names = shape.resultFields
        let r = Record(uniqueKeys: names, values: names.map { name in
            switch name {
            case "code": return .int(meta.code)
            case "type": return .string(meta.type)
            case "message": return .string(meta.message)
            default: return item[name] ?? .null
            }
        })
        return shape.items == .metaEach ? ["meta": .record(r)] : .record(r)
    }

    /// The result of every item that was refused, with its number, carrier, code and message:
    /// those listed in `errors`, and where every item is in `trackings`, those whose `code` (or
    /// `meta.code`) is not a success. Where refused items are listed apart, `trackings` holds
    /// done ones only, and is not read.
    public var refusals: [JSON] {
        guard shape.items != .errorsApart else { return errors }
        return errors + trackings.compactMap { t in
            let item = t["meta"] ?? t
            guard let code = item["code"]?.intValue, code != 200, code != 201 else { return nil }
            return item
        }
    }
}
