/// The `meta.code` values of the v2 API, with the `type` and message it sends for each.
public enum MetaCode: Int, Sendable, CaseIterable {
    case success = 200
    case created = 201
    case overLimit = 202
    case unauthorized = 401
    case paymentRequired = 402
    case forbidden = 403
    case notFound = 404
    case methodNotAllowed = 405
    case conflict = 409
    case tooManyRequests = 429
    case serverError = 500
    case serviceUnavailable = 503
    case invalidKey = 4001
    case keyDeleted = 4002
    case badRequest = 4012
    case trackingNumberRequired = 4013
    case trackingNumberInvalid = 4014
    case carrierCodeInvalid = 4015
    case trackingExists = 4016
    case trackingDoesNotExist = 4017
    case needsActivation = 4018
    case balanceInsufficient = 4019
    case tooManyAtOnce = 4020
    case quotaUsedUp = 4021
    case notAddedYet = 4031
    case carrierNotDetected = 4032
    case statusInvalid = 4033

    /// The `meta.type` the API sends with the code.
    public var type: String {
        switch self {
        case .success: return "Success"
        case .created: return "Created"
        case .unauthorized, .invalidKey, .keyDeleted: return "Unauthorized"
        case .paymentRequired: return "Payment Required"
        case .forbidden: return "Forbidden"
        case .notFound: return "Not Found"
        case .methodNotAllowed: return "Method Not Allowed"
        case .conflict: return "Conflict"
        case .tooManyRequests: return "Too Many Requests"
        case .serverError: return "Server error"
        case .serviceUnavailable: return "Service Unavailable"
        case .notAddedYet, .carrierNotDetected, .statusInvalid: return "No Content"
        default: return "Bad Request"
        }
    }

    /// The API's message, in its words (paraphrased where only translations were seen).
    public var message: String {
        switch self {
        case .success: return "Success"
        case .created: return "The request was successful and a resource was created."
        case .overLimit: return "The request was accepted but is over a limit."
        case .unauthorized: return "Authentication failed or no permission."
        case .paymentRequired: return "Payment required."
        case .forbidden: return "Access denied."
        case .notFound: return "The resource was not found."
        case .methodNotAllowed: return "The method is not supported for this resource."
        case .conflict: return "Conflict."
        case .tooManyRequests: return "Too many requests: wait two minutes and retry."
        case .serverError: return "Server error."
        case .serviceUnavailable: return "Service temporarily unavailable."
        case .invalidKey: return "Invalid API key."
        case .keyDeleted: return "The API key has been deleted."
        case .badRequest: return "The request was not understood or lacks required parameters."
        case .trackingNumberRequired: return "Tracking number is required."
        case .trackingNumberInvalid: return "Tracking number is invalid."
        case .carrierCodeInvalid: return "Carrier code is invalid."
        case .trackingExists: return "Tracking already exists."
        case .trackingDoesNotExist: return "Tracking does not exist."
        case .needsActivation: return "This feature needs to be activated for the account."
        case .balanceInsufficient: return "Balance is insufficient."
        case .tooManyAtOnce: return "Up to 200 at a time."
        case .quotaUsedUp: return "The remaining quota is used up."
        case .notAddedYet: return "The request was fine but the number has not been added: create it first."
        case .carrierNotDetected: return "The carrier could not be detected: give a carrier code."
        case .statusInvalid: return "Invalid status value."
        }
    }

    public var isSuccess: Bool { self == .success || self == .created }
    /// The key was refused: missing, unknown or deleted (401, 4001, 4002).
    public var refusesTheKey: Bool { self == .unauthorized || self == .invalidKey || self == .keyDeleted }
}

/// The `meta` object of every answer.
public struct Meta: Sendable, Equatable {
    public var code: Int
    public var type: String
    public var message: String

    public init(code: Int, type: String, message: String) {
        self.code = code
        self.type = type
        self.message = message
    }

    public init(_ code: MetaCode, message: String? = nil) {
        self.init(code: code.rawValue, type: code.type, message: message ?? code.message)
    }

    public var isSuccess: Bool { code == 200 || code == 201 }
}

/// `{"meta": {...}, "data": ...}`: what every endpoint answers, success or error.
public struct Envelope: Sendable, Equatable {
    public var meta: Meta
    public var data: JSON {
        didSet { encodedData = nil }
    }
    /// `data` already written as compact JSON, when the sandbox has it (a tracking from its
    /// render cache): tms serve sends these bytes instead of writing `data` again. Any change
    /// of `data` drops them; they take no part in equality.
    public var encodedData: [UInt8]?

    public init(meta: Meta, data: JSON) {
        self.meta = meta
        self.data = data
    }

    public static func == (a: Envelope, b: Envelope) -> Bool {
        a.meta == b.meta && a.data == b.data
    }

    public init(_ code: MetaCode, _ data: JSON = .list([]), message: String? = nil) {
        self.init(meta: Meta(code, message: message), data: data)
    }

    public var json: JSON {
        ["meta": ["code": .int(meta.code), "type": .string(meta.type), "message": .string(meta.message)], "data": data]
    }

    /// Reads an envelope; tolerant of a `meta` without `type` or `message` (as `/carriers` sends).
    public init?(json: JSON) {
        guard let meta = json["meta"]?.recordValue, let code = meta["code"]?.intValue else { return nil }
        self.meta = Meta(code: code, type: meta["type"]?.stringValue ?? "", message: meta["message"]?.stringValue ?? "")
        self.data = json["data"] ?? .null
    }
}
