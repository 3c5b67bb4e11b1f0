import TrackingMore

extension BuiltinVerbs {
    /// `fields [tracking|checkpoint|carrier|info]`: the fields of the API's records, from the catalog.
    static let fields = Verb(
        Signature(
            "fields", category: .shell,
            positional: [.optional("list", .string, help: "tracking (the default), checkpoint, carrier or info (origin_info and destination_info)")],
            output: "list of records: field, type, editable, meaning",
            summary: "the fields of trackings, checkpoints and carriers: type, meaning, and whether put may change them",
            examples: [
                ("fields", "every field of a tracking"),
                ("fields | where editable == true", "the fields put may change"),
                ("fields checkpoint", "the fields of each item of origin_info.trackinfo"),
            ])
    ) { call in
        let name = call.value("list").map { $0.stringValue ?? $0.compactText }?.lowercased() ?? "tracking"
        guard let list = FieldList(word: name) else {
            let fieldOf = FieldList.allCases.first { $0.fields.contains { $0.name == name } }?.rawValue
            throw TMSError(.unknownFieldList(call.span(of: "list"), name, lists: FieldList.allCases.map(\.rawValue), fieldOf: fieldOf))
        }
        return .value(.list(list.fields.map { f in
            .record(Record([
                ("field", .string(f.name)), ("type", .string(f.kind.rawValue)), ("editable", .bool(f.editable)),
                ("meaning", .string(f.help)),
            ]))
        }))
    }
}

/// The lists `fields` shows.
enum FieldList: String, CaseIterable {
    case tracking, checkpoint, carrier, info

    /// The list's name, its plural, or the API's name for it (`trackinfo`, `origin_info`).
    init?(word: String) {
        switch word {
        case "tracking", "trackings": self = .tracking
        case "checkpoint", "checkpoints", "trackinfo": self = .checkpoint
        case "carrier", "carriers": self = .carrier
        case "info", "origin_info", "destination_info": self = .info
        default: return nil
        }
    }

    var fields: [Shape.Property] {
        switch self {
        case .tracking: return Catalog.trackingFields
        case .checkpoint: return Catalog.checkpointFields
        case .carrier: return Catalog.carrierFields
        case .info: return Catalog.infoFields
        }
    }
}
