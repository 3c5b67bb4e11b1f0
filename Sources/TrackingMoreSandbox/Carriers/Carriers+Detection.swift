/// Carrier detection from tracking-number formats, as `POST /carriers/detect` does it.
///
/// Plain byte checks, no regular expressions: the number is normalised once (ASCII letters
/// uppercased, spaces and hyphens dropped; anything else makes it undetectable) and every
/// format rule below looks at it. Each rule that fits proposes carriers with a score; a carrier
/// proposed twice keeps its best score; candidates come back best first, ties in rule order.
///
/// Scores, roughly: 100 a format with a verified check digit; 85–95 a distinctive prefix and
/// length; 70–75 an all-digit format with a carrier-specific two-digit prefix; 55–60 a length
/// that is common for one carrier; 40–50 a length several carriers share. A UPU S10 number
/// whose check digit does not verify still detects, at 60.
extension Carriers {
    /// One candidate of a detection.
    public struct Detection: Sendable, Hashable {
        public let carrier: Carrier
        /// How well the number fits this carrier's formats; higher is better.
        public let score: Int
        /// The format that matched, e.g. `UPU S10`, `UPS 1Z`.
        public let rule: String
    }

    /// Carriers whose number formats fit `trackingNumber`, best first; empty when none fits.
    public static func detect(_ trackingNumber: String) -> [Carrier] {
        detections(trackingNumber).map(\.carrier)
    }

    /// Like `detect`, with each candidate's score and matching rule.
    public static func detections(_ trackingNumber: String) -> [Detection] {
        guard let number = NormalizedNumber(trackingNumber) else { return [] }
        var found = Candidates()
        if number.allDigits {
            matchDigitFormats(number, &found)
        } else {
            matchLetterFormats(number, &found)
        }
        return found.ranked()
    }

    // MARK: - Formats with letters

    private static func matchLetterFormats(_ n: NormalizedNumber, _ found: inout Candidates) {
        let c = n.count

        // UPS: "1Z" + 6-char shipper + 2-char service + 7-digit package + check digit (18 chars).
        if c == 18, n.hasPrefix("1Z") {
            found.add("ups", upsCheckDigitIsValid(n) ? 100 : 75, "UPS 1Z")
        }

        // UPU S10: 2 letters + 8-digit serial + check digit + 2-letter country (RR123456785CN).
        if c == 13, n.letters(0, 2), n.digits(2, 11), n.letters(11, 13) {
            matchS10(n, &found)
        }

        // SF Express: "SF" + 12 or 13 digits (13-digit ones also ship as SF International).
        if c == 14 || c == 15, n.hasPrefix("SF"), n.digits(2, c) {
            found.add("sf-express", 95, "SF Express SF")
            if c == 15 { found.add("sfb2c", 50, "SF International SF") }
        }

        // YTO Express: "YT" + 13 digits.
        if c == 15, n.hasPrefix("YT"), n.digits(2, c) {
            found.add("yto", 95, "YTO YT+13")
        }
        // YunExpress: "YT" + 16 digits.
        if c == 18, n.hasPrefix("YT"), n.digits(2, c) {
            found.add("yunexpress", 95, "YunExpress YT+16")
        }

        if n.hasPrefix("JD") {
            // JD Logistics: "JD" + 13–15 digits.
            if (15...17).contains(c), n.digits(2, c) { found.add("jd", 95, "JD JD+digits") }
            // JD Logistics: "JD" + 2 letters + 11 digits (JDVA01234567890).
            if c == 15, n.letters(2, 4), n.digits(4, c) { found.add("jd", 95, "JD JDxx+11") }
            // Yodel: "JD" + 16 digits.
            if c == 18, n.digits(2, c) { found.add("yodel", 85, "Yodel JD+16") }
            // DHL Express piece ID: "JD" + 18 digits.
            if c == 20, n.digits(2, c) { found.add("dhl", 85, "DHL JD+18") }
        }

        // DHL (Express and Paket) piece ID: "JJD" + 10–22 digits.
        if (13...25).contains(c), n.hasPrefix("JJD"), n.digits(3, c) {
            found.add("dhl", 90, "DHL JJD")
            found.add("dhl-germany", 85, "DHL JJD")
        }
        // DHL Express piece ID: "JVGL" + 6–20 digits.
        if (10...24).contains(c), n.hasPrefix("JVGL"), n.digits(4, c) {
            found.add("dhl", 90, "DHL JVGL")
        }
        // DHL eCommerce (US): "GM" + 16–22 digits.
        if (18...24).contains(c), n.hasPrefix("GM"), n.digits(2, c) {
            found.add("dhlglobalmail", 90, "DHL eCommerce GM")
        }

        // Cainiao: "LP" + 14–16 digits.
        if (16...18).contains(c), n.hasPrefix("LP"), n.digits(2, c) {
            found.add("cainiao", 95, "Cainiao LP")
        }
        // Cainiao consolidation: "CNG" + 8–16 digits.
        if (11...19).contains(c), n.hasPrefix("CNG"), n.digits(3, c) {
            found.add("cainiao", 90, "Cainiao CNG")
        }

        // 4PX: "4PX" + 10–16 digits, optionally followed by "CN" (4PX3001180186998CN).
        if n.hasPrefix("4PX") {
            let end = n.hasSuffix("CN") ? c - 2 : c
            if (10...16).contains(end - 3), n.digits(3, end) { found.add("4px", 95, "4PX 4PX") }
        }

        // PostNL International 3S: "3S" + 4-letter customer code + 5–11 digits.
        if (11...17).contains(c), n.hasPrefix("3S"), n.letters(2, 6), n.digits(6, c) {
            found.add("postnl-3s", 90, "PostNL 3S")
            found.add("postnl-parcels", 70, "PostNL 3S")
        }

        // Colissimo / La Poste: digit + letter + 11 digits (6A12345678901).
        if c == 13, n.isDigit(0), n.isLetter(1), n.digits(2, c) {
            found.add("colissimo", 85, "Colissimo 13")
            found.add("laposte", 75, "Colissimo 13")
        }

        // Correos (Spain) parcels: "PQ" or "PK" + 21 letters and digits (23 chars).
        if c == 23, n.hasPrefix("PQ") || n.hasPrefix("PK") {
            found.add("correos-spain", 85, "Correos PQ")
        }

        // OnTrac: "C" or "D" + 14 digits.
        if c == 15, n.hasPrefix("C") || n.hasPrefix("D"), n.digits(1, c) {
            found.add("ontrac", 85, "OnTrac C/D+14")
        }

        // Australia Post eParcel article: "33" + 3 letters + 7 digits.
        if c == 12, n.hasPrefix("33"), n.letters(2, 5), n.digits(5, c) {
            found.add("australia-post", 70, "Australia Post 33")
            found.add("star-track", 40, "Australia Post 33")
        }
        // Australia Post / StarTrack consignment: 3 letters + 8 digits.
        if c == 11, n.letters(0, 3), n.digits(3, c) {
            found.add("australia-post", 45, "Australia Post 3+8")
            found.add("star-track", 35, "Australia Post 3+8")
        }
    }

    /// Carriers by S10 country suffix for EMS items (service letter E), ahead of the post.
    private static let emsByCountry: [String: String] = [
        "SG": "singapore-speedpost", "AU": "australia-ems", "UA": "ukraine-ems", "FR": "chronopost",
    ]
    /// Carriers by S10 country suffix for parcels (service letter C), ahead of the post.
    private static let parcelsByCountry: [String: String] = [
        "FR": "colissimo", "DE": "dhl-germany", "GB": "parcel-force",
    ]
    /// Another carrier that handles the country's S10 items, after the post.
    private static let s10AlsoByCountry: [String: String] = [
        "DE": "dhl-germany"
    ]

    private static func matchS10(_ n: NormalizedNumber, _ found: inout Candidates) {
        let valid = s10CheckDigit(n) == n.digitValue(10)
        let base = valid ? 100 : 60
        let rule = valid ? "UPU S10" : "UPU S10 (check digit mismatch)"
        let service = n.bytes[0]
        let suffix = String(decoding: n.bytes[11...12], as: UTF8.self)

        switch suffix {
        case "YP":
            // Yanwen's own S10-style numbers end in the pseudo-country YP.
            found.add("yanwen", base, rule)
        case "WW":
            // TNT consignments: GE + 9 digits + WW.
            if n.hasPrefix("GE") { found.add("tnt", base, rule) }
        case "CN":
            switch service {
            case UInt8(ascii: "E"), UInt8(ascii: "L"), UInt8(ascii: "C"):
                // EMS, ePacket (L) and parcels (C) go through China EMS.
                found.add("china-ems", base, rule)
                found.add("china-post", base - 5, rule)
                if service == UInt8(ascii: "L") { found.add("epacket", base - 10, rule) }
            case UInt8(ascii: "R"), UInt8(ascii: "U"):
                // Registered and untracked letters and small packets.
                found.add("china-post", base, rule)
            default:
                found.add("china-post", base, rule)
                found.add("china-ems", base - 5, rule)
            }
        default:
            guard let post = postalOperator(country: suffix) else { return }
            if service == UInt8(ascii: "E"), let ems = emsByCountry[suffix] {
                found.add(ems, base, rule)
                found.add(post.code, base - 5, rule)
            } else if service == UInt8(ascii: "C"), let parcels = parcelsByCountry[suffix] {
                found.add(parcels, base, rule)
                found.add(post.code, base - 5, rule)
            } else {
                found.add(post.code, base, rule)
                if let also = s10AlsoByCountry[suffix] { found.add(also, base - 10, rule) }
            }
        }
    }

    // MARK: - All-digit formats

    private static func matchDigitFormats(_ n: NormalizedNumber, _ found: inout Candidates) {
        let c = n.count
        let first = n.digitValue(0)
        let p2 = c >= 2 ? first * 10 + n.digitValue(1) : -1

        // TNT consignment: 9 digits.
        if c == 9 { found.add("tnt", 50, "TNT 9") }
        // DHL Express waybill: 10 digits.
        if c == 10 { found.add("dhl", 60, "DHL Express 10") }
        // Aramex waybill: 10–11 digits.
        if c == 10 || c == 11 { found.add("aramex", 40, "Aramex 10-11") }
        // GLS parcel number: 11–12 digits.
        if c == 11 || c == 12 { found.add("gls", 40, "GLS 11-12") }
        // FedEx Express: 12 digits.
        if c == 12 { found.add("fedex", 55, "FedEx 12") }
        // ZTO Express: 12 digits starting 7 or 5.
        if c == 12, first == 7 || first == 5 { found.add("zto", 60, "ZTO 12") }
        // ZTO Express: 14 digits starting 75.
        if c == 14, p2 == 75 { found.add("zto", 75, "ZTO 14") }
        // STO Express: 12–13 digits starting 22, 26, 33, 36, 40, 55, 66, 77 or 88.
        if c == 12 || c == 13, [22, 26, 33, 36, 40, 55, 66, 77, 88].contains(p2) {
            found.add("sto", 70, "STO 12-13")
        }
        // Yunda Express: 13 digits starting 10, 12, 19, 31, 43 or 46.
        if c == 13, [10, 12, 19, 31, 43, 46].contains(p2) { found.add("yunda", 70, "Yunda 13") }
        // DPD parcel number: 14 digits.
        if c == 14 { found.add("dpd", 55, "DPD 14") }
        // Russian Post domestic: 14 digits (6-digit post code + 8).
        if c == 14 { found.add("russian-post", 45, "Russian Post 14") }
        // FedEx Ground: 15 digits.
        if c == 15 { found.add("fedex", 60, "FedEx Ground 15") }
        // Canada Post PIN: 16 digits.
        if c == 16 { found.add("canada-post", 55, "Canada Post 16") }
        // USPS IMpb: 20–22 digits starting 92, 93, 94 or 95 (DHL eCommerce SmartMail uses 92/93 too).
        if (20...22).contains(c), (92...95).contains(p2) {
            found.add("usps", 85, "USPS IMpb")
            if c == 22, p2 == 92 || p2 == 93 { found.add("dhlglobalmail", 40, "USPS IMpb") }
        }
        // USPS Certified / Registered Mail: 20 digits starting 70, 71, 03 or 23.
        if c == 20, [70, 71, 3, 23].contains(p2) { found.add("usps", 50, "USPS 20") }
        // USPS with routing code: "420" + ZIP (5 or 9 digits) + 22-digit IMpb starting 9.
        if c == 30 || c == 34, n.hasPrefix("420"), n.digitValue(c - 22) == 9 {
            found.add("usps", 90, "USPS 420+ZIP")
        }
        // Deutsche Post DHL Paket: 20 digits starting 00340434.
        if c == 20, n.hasPrefix("00340434") { found.add("dhl-germany", 90, "DHL Paket 00340434") }
        // FedEx Ground SSCC-18: 20 digits starting 00.
        if c == 20, p2 == 0 { found.add("fedex", 45, "FedEx SSCC 20") }
        // FedEx Ground 96: 22 or 34 digits starting 96.
        if c == 22 || c == 34, p2 == 96 { found.add("fedex", 85, "FedEx Ground 96") }
        // InPost: 24 digits.
        if c == 24 { found.add("inpost-paczkomaty", 50, "InPost 24") }
    }

    // MARK: - Check digits

    private static let s10Weights = [8, 6, 4, 2, 3, 5, 9, 7]

    /// The UPU S10 check digit of the 8-digit serial (the number's characters 3 to 10).
    static func s10CheckDigit(_ n: NormalizedNumber) -> Int {
        s10CheckDigit(serial: (2..<10).map(n.digitValue))
    }

    /// The UPU S10 check digit of 8 serial digits: weights 8 6 4 2 3 5 9 7,
    /// 11 − (sum mod 11), with 10 → 0 and 11 → 5. The one place it is computed: detection
    /// checks numbers with it and the seed makes them with it.
    static func s10CheckDigit(serial: [Int]) -> Int {
        let sum = zip(serial, s10Weights).reduce(0) { $0 + $1.0 * $1.1 }
        switch 11 - sum % 11 {
        case 10: return 0
        case 11: return 5
        case let check: return check
        }
    }

    /// UPS 1Z check digit: over the 15 characters after "1Z" (letters as (ASCII − 63) mod 10),
    /// odd positions count once and even positions twice; the check is (10 − sum mod 10) mod 10.
    static func upsCheckDigitIsValid(_ n: NormalizedNumber) -> Bool {
        guard n.count == 18, n.isDigit(17) else { return false }
        var sum = 0
        for i in 2..<17 {
            let byte = n.bytes[i]
            let value = n.isDigit(i) ? Int(byte) - 48 : (Int(byte) - 63) % 10
            sum += (i - 2) % 2 == 0 ? value : 2 * value
        }
        return (10 - sum % 10) % 10 == n.digitValue(17)
    }
}

// MARK: - Normalised number

extension Carriers {
    /// A tracking number reduced to uppercase ASCII letters and digits.
    struct NormalizedNumber: Sendable {
        let bytes: [UInt8]
        let allDigits: Bool

        /// The longest number worth looking at; longer input detects nothing.
        static let maximumLength = 40

        /// Nil when the text is empty, too long, or holds anything but letters, digits, spaces and hyphens.
        init?(_ text: String) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(min(text.utf8.count, Self.maximumLength))
            var allDigits = true
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    bytes.append(byte)
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    bytes.append(byte)
                    allDigits = false
                case UInt8(ascii: "a")...UInt8(ascii: "z"):
                    bytes.append(byte - 32)
                    allDigits = false
                case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "\t"):
                    continue
                default:
                    return nil
                }
                if bytes.count > Self.maximumLength { return nil }
            }
            if bytes.isEmpty { return nil }
            self.bytes = bytes
            self.allDigits = allDigits
        }

        var count: Int { bytes.count }

        func isDigit(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
        }

        func isLetter(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z")
        }

        /// The value of the digit at `i`, or -1 when it is not a digit.
        func digitValue(_ i: Int) -> Int {
            isDigit(i) ? Int(bytes[i]) - 48 : -1
        }

        /// True when every byte in `from..<to` is a digit (and the range is inside the number).
        func digits(_ from: Int, _ to: Int) -> Bool {
            guard from <= to, to <= bytes.count else { return false }
            return (from..<to).allSatisfy(isDigit)
        }

        /// True when every byte in `from..<to` is a letter (and the range is inside the number).
        func letters(_ from: Int, _ to: Int) -> Bool {
            guard from <= to, to <= bytes.count else { return false }
            return (from..<to).allSatisfy(isLetter)
        }

        /// `prefix` is uppercase ASCII.
        func hasPrefix(_ prefix: String) -> Bool {
            let p = prefix.utf8
            return p.count <= bytes.count && zip(bytes, p).allSatisfy { $0 == $1 }
        }

        /// `suffix` is uppercase ASCII.
        func hasSuffix(_ suffix: String) -> Bool {
            let s = suffix.utf8
            return s.count <= bytes.count && zip(bytes[(bytes.count - s.count)...], s).allSatisfy { $0 == $1 }
        }
    }
}

// MARK: - Ranking

extension Carriers {
    /// Candidates gathered by the rules: one per carrier code, at its best score.
    fileprivate struct Candidates {
        private struct Item {
            let code: String
            var score: Int
            var rule: String
            let order: Int
        }

        private var items: [Item] = []

        mutating func add(_ code: String, _ score: Int, _ rule: String) {
            if let i = items.firstIndex(where: { $0.code == code }) {
                if score > items[i].score {
                    items[i].score = score
                    items[i].rule = rule
                }
                return
            }
            items.append(Item(code: code, score: score, rule: rule, order: items.count))
        }

        /// Best score first; equal scores in the order the rules proposed them.
        func ranked() -> [Carriers.Detection] {
            items
                .sorted { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }
                .compactMap { item in
                    Carriers.carrier(code: item.code).map {
                        Carriers.Detection(carrier: $0, score: item.score, rule: item.rule)
                    }
                }
        }
    }
}
