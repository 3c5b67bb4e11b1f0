/// The shape of a JSON value an endpoint answers with, as data: the catalog describes every
/// answer with it once (`Catalog.answer`), and `tms openapi` writes the response schemas from
/// it, `fields` lists the records' fields from it, and the sandbox writes a tracking's keys in
/// its order.
public indirect enum Shape: Sendable {
    /// A string, perhaps of a known form (a time, an id, a status word).
    case text(Text)
    /// An integer, perhaps within a range.
    case integer(ClosedRange<Int>?)
    case number
    case boolean
    /// One of these strings.
    case oneOf([String])
    /// An object described in the catalog (a named schema of the OpenAPI document).
    case object(Object)
    /// A list of values of one shape, with at least / at most this many.
    case list(Shape, min: Int?, max: Int?)
    /// The shape, or null.
    case nullable(Shape)
    /// Either of these shapes (`order_create_time` in a batch report: a text, or 0 when none was given).
    case either([Shape])
    /// Any JSON value: an item's value echoed as it was sent.
    case any

    public static let string = Shape.text(.plain)
    /// A list of objects of one shape.
    public static func list(_ object: Object, max: Int? = nil) -> Shape { .list(.object(object), min: nil, max: max) }

    /// A string of a known form: each is one named schema of the OpenAPI document.
    public enum Text: String, Sendable, CaseIterable {
        case plain
        /// TrackingMore's 32-hex id of a tracking.
        case id = "TrackingID"
        /// `2025-06-02T08:00:00+00:00`
        case isoTime = "IsoTime"
        /// `2025-06-02 08:00:00`
        case dateTime = "DateTime"
        /// `2025-06-02 08:00`, or with seconds.
        case minutes = "Minutes"
        /// A count or unix seconds written as a string of digits.
        case digits = "Digits"
        /// One of the package statuses.
        case status = "Status"
        /// A sub-status (`transit004`).
        case substatus = "SubStatus"
        /// A 2-letter country code in capitals.
        case country = "CountryCode"
        /// A 3-letter IATA airport code.
        case airport = "Airport"
        /// A percentage with one decimal: `62.5%`.
        case percent = "Percent"
        /// An air waybill number `XXX-XXXXXXXX`.
        case airWaybill = "AirWaybillNumber"
        /// A hex HMAC-SHA256 (64 hex digits).
        case signature = "Signature"

        /// What it is, in words.
        public var help: String {
            switch self {
            case .plain: return "text"
            case .id: return "TrackingMore's id of a tracking: 32 hex digits"
            case .isoTime: return "ISO 8601 with an offset, e.g. 2025-06-02T08:00:00+00:00"
            case .dateTime: return "`YYYY-MM-DD HH:MM:SS`, e.g. 2025-06-02 08:00:00"
            case .minutes: return "`YYYY-MM-DD HH:MM` (seconds may follow), the carrier's local time"
            case .digits: return "a whole number written as a string of digits"
            case .status: return "the package status: " + TrackingStatus.allCases.map(\.rawValue).joined(separator: ", ")
            case .substatus: return "the detail of a status, e.g. transit004 (`status CODE` explains each)"
            case .country: return "a country, 2 capital letters (US)"
            case .airport: return "an IATA airport code, 3 capital letters"
            case .percent: return "a percentage with one decimal, e.g. 62.5%"
            case .airWaybill: return "an air waybill number, XXX-XXXXXXXX"
            case .signature: return "hex HMAC-SHA256: 64 hex digits"
            }
        }

        /// The regular expression it matches (ECMA-262, as OpenAPI reads it); nil: any text.
        public var pattern: String? {
            switch self {
            case .plain, .status: return nil
            case .id: return "^[0-9a-f]{32}$"
            case .isoTime: return "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$"
            case .dateTime: return "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"
            case .minutes: return "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}(:[0-9]{2})?$"
            case .digits: return "^[0-9]+$"
            case .substatus: return "^(" + TrackingStatus.allCases.map(\.rawValue).joined(separator: "|") + ")[0-9]{3}$"
            case .country: return "^[A-Z]{2}$"
            case .airport: return "^[A-Z]{3}$"
            case .percent: return "^[0-9]{1,3}\\.[0-9]%$"
            case .airWaybill: return "^[0-9]{3}-[0-9]{8}$"
            case .signature: return "^[0-9a-f]{64}$"
            }
        }

        /// The values it takes, when they are few.
        public var values: [String]? {
            self == .status ? TrackingStatus.allCases.map(\.rawValue) : nil
        }
    }

    /// An object the API answers with: its fields in the order they are sent.
    public struct Object: Sendable {
        /// Its name in the OpenAPI document (`Tracking`).
        public let name: String
        public let help: String
        public let properties: [Property]

        public init(_ name: String, _ help: String, _ properties: [Property]) {
            self.name = name
            self.help = help
            self.properties = properties
        }

        /// The field named `name`.
        public subscript(name: String) -> Property? { properties.first { $0.name == name } }

        /// The fields always sent, in order.
        public var sent: [Property] { properties.filter(\.always) }

        /// The fields a table of these objects shows, in their `column` order.
        public var columns: [String] {
            properties.compactMap { p in p.column.map { ($0, p.name) } }.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// One field of an object.
    public struct Property: Sendable {
        public let name: String
        public let shape: Shape
        /// Whether every answer has it (the sandbox sends it always); false: only some do.
        public let always: Bool
        public let help: String
        /// Whether `put` may change it (for tracking fields).
        public let editable: Bool
        /// Its place among the columns a table of these objects shows (1 first); nil: not shown.
        public let column: Int?

        public init(_ name: String, _ shape: Shape, always: Bool = true, editable: Bool = false, column: Int? = nil, _ help: String) {
            self.name = name
            self.shape = shape
            self.always = always
            self.help = help
            self.editable = editable
            self.column = column
        }

        /// Its kind as `fields` names it: string, int, bool, record, list of records, ...
        public var kind: Field.Kind { shape.kind }
    }

    /// The kind a `Field` of this shape has.
    public var kind: Field.Kind {
        switch self {
        case .text, .oneOf, .any: return .string
        case .integer: return .int
        case .number: return .number
        case .boolean: return .bool
        case .object: return .record
        case .list(let item, _, _):
            if case .object = item { return .records }
            return .list
        case .nullable(let s): return s.kind
        case .either(let shapes): return shapes.first?.kind ?? .string
        }
    }
}
