/// A carrier TrackingMore knows, as `GET /carriers` lists it.
public struct Carrier: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// Express and courier companies (UPS, DHL, SF Express...).
        case express
        /// National postal operators (China Post, USPS, Royal Mail...).
        case globalpost
    }

    /// The TrackingMore carrier code, e.g. `ups`, `china-post`.
    public let code: String
    public let name: String
    /// The carrier's site, protocol-relative as the API gives it: `//www.ups.com/`.
    public let homepage: String
    public let kind: Kind
    /// ISO 3166-1 alpha-2 country of a postal operator (or of an express carrier's home).
    public let country: String
    public let phone: String

    public init(code: String, name: String, homepage: String, kind: Kind, country: String, phone: String = "") {
        self.code = code
        self.name = name
        self.homepage = homepage
        self.kind = kind
        self.country = country
        self.phone = phone
    }
}
