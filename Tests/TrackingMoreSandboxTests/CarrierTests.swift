import Testing

@testable import TrackingMoreSandbox

#if canImport(Glibc)
import Glibc
#endif

/// A tracking number and the carriers detection must return for it: `first` at the top,
/// then `also` somewhere in the list (in this order when `ordered`).
struct DetectionCase: Sendable, CustomTestStringConvertible {
    let number: String
    let first: String
    let also: [String]
    let format: String

    init(_ number: String, _ first: String, also: [String] = [], _ format: String) {
        self.number = number
        self.first = first
        self.also = also
        self.format = format
    }

    var testDescription: String { "\(format): \(number)" }
}

@Suite struct CarrierTests {
    // MARK: - Catalog

    @Test func catalogHasAtLeast110Carriers() {
        #expect(Carriers.all.count >= 110)
    }

    /// Every code that public client code sends (Tests/Data/client-carrier-codes.tsv, with
    /// its sources) is one the sandbox knows.
    @Test func clientCarrierCodesAreKnown() throws {
        let tests = #filePath.split(separator: "/").dropLast(2).joined(separator: "/")
        let text = try #require(readText("/" + tests + "/Data/client-carrier-codes.tsv"))
        let codes = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { String($0.split(separator: "\t")[0]) }
        #expect(codes.count >= 12)
        for code in codes { #expect(Carriers.carrier(code: code) != nil, "\(code) is not in the catalog") }
    }

    @Test func codesAreUniqueAndLowercaseDashed() {
        var seen = Set<String>()
        for carrier in Carriers.all {
            #expect(seen.insert(carrier.code).inserted, "duplicate code \(carrier.code)")
            let wellFormed = !carrier.code.isEmpty && carrier.code.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || byte == UInt8(ascii: "-")
            }
            #expect(wellFormed, "code \(carrier.code) does not match ^[0-9a-z-]+$")
        }
    }

    @Test func everyCarrierIsFoundByCode() {
        for carrier in Carriers.all {
            #expect(Carriers.carrier(code: carrier.code) == carrier)
        }
    }

    @Test func lookupToleratesCaseAndRejectsUnknownCodes() {
        #expect(Carriers.carrier(code: "UPS")?.code == "ups")
        #expect(Carriers.carrier(code: "China-Post")?.code == "china-post")
        #expect(Carriers.carrier(code: "no-such-carrier") == nil)
        #expect(Carriers.carrier(code: "") == nil)
    }

    @Test func fieldsHaveTheApiShape() {
        for carrier in Carriers.all {
            #expect(!carrier.name.isEmpty, "\(carrier.code) has no name")
            #expect(carrier.homepage.hasPrefix("//"), "\(carrier.code) homepage \(carrier.homepage) is not protocol-relative")
            let country = Array(carrier.country.utf8)
            #expect(
                country.count == 2 && country.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) },
                "\(carrier.code) country \(carrier.country) is not ISO alpha-2"
            )
        }
    }

    @Test func briefCodesArePresent() {
        let codes = [
            "ups", "fedex", "dhl", "usps", "china-post", "china-ems", "sf-express", "yto", "zto", "sto", "yunda",
            "jd", "cainiao", "4px", "yunexpress", "royal-mail", "deutsche-post", "dhl-germany", "laposte",
            "colissimo", "postnl-3s", "canada-post", "australia-post", "japan-post", "korea-post", "singapore-post",
            "hong-kong-post", "india-post", "poste-italiane", "correos-spain", "swiss-post", "russian-post",
            "brazil-correios", "correos-mexico", "dpd", "gls", "tnt", "aramex", "wishpost", "bestex",
        ]
        for code in codes {
            #expect(Carriers.carrier(code: code) != nil, "missing \(code)")
        }
    }

    @Test func nationalPostsCoverAtLeast60Countries() {
        let countries = Set(Carriers.entries.compactMap(\.postOf))
        #expect(countries.count >= 60)
        for country in countries {
            #expect(Carriers.postalOperator(country: country)?.country == country)
        }
    }

    @Test(arguments: [
        ("CN", "china-post"), ("US", "usps"), ("GB", "royal-mail"), ("DE", "deutsche-post"), ("FR", "laposte"),
        ("JP", "japan-post"), ("KR", "korea-post"), ("NL", "postnl-parcels"), ("MX", "correos-mexico"),
        ("BR", "brazil-correios"), ("CA", "canada-post"), ("AU", "australia-post"),
    ])
    func postalOperatorOfCountry(country: String, code: String) {
        #expect(Carriers.postalOperator(country: country)?.code == code)
    }

    @Test func postalOperatorLookupIsCaseInsensitiveAndNilForUnknown() {
        #expect(Carriers.postalOperator(country: "cn")?.code == "china-post")
        #expect(Carriers.postalOperator(country: "XX") == nil)
        #expect(Carriers.postalOperator(country: "") == nil)
    }

    @Test func searchMatchesCodeOrNameCaseInsensitively() {
        #expect(Carriers.search("royal").map(\.code).contains("royal-mail"))
        #expect(Carriers.search("ROYAL MAIL").map(\.code) == ["royal-mail"])
        #expect(Carriers.search("sf-exp").map(\.code).contains("sf-express"))
        #expect(Carriers.search("česká").map(\.code) == ["czech-post"])
        let express = Carriers.search("Express")
        #expect(express.contains { $0.code == "yto" })
        #expect(express.allSatisfy { $0.code.contains("express") || $0.name.lowercased().contains("express") })
        #expect(Carriers.search("no carrier is called this").isEmpty)
        #expect(Carriers.search("").count == Carriers.all.count)
        #expect(Carriers.search("  ").count == Carriers.all.count)
    }

    // MARK: - Detection by format

    static let detectionCases: [DetectionCase] = [
        // UPS
        DetectionCase("1Z999AA10123456784", "ups", "UPS 1Z"),
        DetectionCase("1Z12345E6605272234", "ups", "UPS 1Z"),
        // UPU S10, check digits computed with weights 8 6 4 2 3 5 9 7
        DetectionCase("RR123456785CN", "china-post", "S10 China registered"),
        DetectionCase("UA000000005CN", "china-post", "S10 China untracked"),
        DetectionCase("EA123456785CN", "china-ems", also: ["china-post"], "S10 China EMS"),
        DetectionCase("LK987654326CN", "china-ems", also: ["china-post", "epacket"], "S10 China ePacket"),
        DetectionCase("CP471108151CN", "china-ems", also: ["china-post"], "S10 China parcel"),
        DetectionCase("VA102030405CN", "china-post", also: ["china-ems"], "S10 China other"),
        DetectionCase("RR123456785GB", "royal-mail", "S10 Royal Mail"),
        DetectionCase("AB314159268GB", "royal-mail", "S10 Royal Mail"),
        DetectionCase("CP555555555GB", "parcel-force", also: ["royal-mail"], "S10 Parcelforce"),
        DetectionCase("RR123456785US", "usps", "S10 USPS"),
        DetectionCase("EA987654326US", "usps", "S10 USPS"),
        DetectionCase("RR123456785DE", "deutsche-post", also: ["dhl-germany"], "S10 Deutsche Post"),
        DetectionCase("CX123456785DE", "dhl-germany", also: ["deutsche-post"], "S10 DHL parcel"),
        DetectionCase("RR123456785FR", "laposte", "S10 La Poste"),
        DetectionCase("EE123456785FR", "chronopost", also: ["laposte"], "S10 Chronopost"),
        DetectionCase("CA123456785FR", "colissimo", also: ["laposte"], "S10 Colissimo"),
        DetectionCase("EJ123456785JP", "japan-post", "S10 Japan Post"),
        DetectionCase("RR123456785KR", "korea-post", "S10 Korea Post"),
        DetectionCase("RR123456785SG", "singapore-post", "S10 Singapore Post"),
        DetectionCase("EE123456785SG", "singapore-speedpost", also: ["singapore-post"], "S10 Singapore Speedpost"),
        DetectionCase("RR123456785HK", "hong-kong-post", "S10 Hong Kong Post"),
        DetectionCase("RR123456785IN", "india-post", "S10 India Post"),
        DetectionCase("RR123456785IT", "poste-italiane", "S10 Poste Italiane"),
        DetectionCase("RR123456785ES", "correos-spain", "S10 Correos"),
        DetectionCase("RR123456785CH", "swiss-post", "S10 Swiss Post"),
        DetectionCase("RR123456785RU", "russian-post", "S10 Russian Post"),
        DetectionCase("RR123456785BR", "brazil-correios", "S10 Correios"),
        DetectionCase("RR123456785MX", "correos-mexico", "S10 Correos de Mexico"),
        DetectionCase("RR123456785CA", "canada-post", "S10 Canada Post"),
        DetectionCase("RR123456785AU", "australia-post", "S10 Australia Post"),
        DetectionCase("EE123456785AU", "australia-ems", also: ["australia-post"], "S10 Australia EMS"),
        DetectionCase("RR123456785NL", "postnl-parcels", "S10 PostNL"),
        DetectionCase("UJ123456785YP", "yanwen", "Yanwen YP"),
        DetectionCase("GE123456785WW", "tnt", "TNT GE..WW"),
        // FedEx
        DetectionCase("123456789012", "fedex", also: ["gls"], "FedEx 12"),
        DetectionCase("123456789012345", "fedex", "FedEx Ground 15"),
        DetectionCase("9612345678901234567890", "fedex", "FedEx Ground 96, 22 digits"),
        DetectionCase("9612345678901234567890123456789012", "fedex", "FedEx Ground 96, 34 digits"),
        DetectionCase("00123456789012345678", "fedex", "FedEx SSCC 20"),
        // USPS
        DetectionCase("9400111899223100000000", "usps", "USPS IMpb 22"),
        DetectionCase("92001234567890123456", "usps", "USPS IMpb 20"),
        DetectionCase("9261290100130435082485", "usps", also: ["dhlglobalmail"], "USPS IMpb 92"),
        DetectionCase("420902109400111899223100000000", "usps", "USPS 420+ZIP5"),
        DetectionCase("4209021012349400111899223100000000", "usps", "USPS 420+ZIP9"),
        DetectionCase("70161234567890123456", "usps", "USPS certified 20"),
        // DHL Express and DHL eCommerce / Deutsche Post
        DetectionCase("1234567890", "dhl", also: ["aramex"], "DHL Express 10"),
        DetectionCase("JJD000390007123456789", "dhl", also: ["dhl-germany"], "DHL JJD"),
        DetectionCase("JVGL06228234567", "dhl", "DHL JVGL"),
        DetectionCase("JD014600006281396110", "dhl", "DHL JD+18"),
        DetectionCase("GM2951173225174494", "dhlglobalmail", "DHL eCommerce GM"),
        DetectionCase("00340434123456789012", "dhl-germany", also: ["fedex"], "DHL Paket 00340434"),
        // China
        DetectionCase("SF1234567890123", "sf-express", also: ["sfb2c"], "SF+13"),
        DetectionCase("SF123456789012", "sf-express", "SF+12"),
        DetectionCase("YT1234567890123", "yto", "YTO YT+13"),
        DetectionCase("YT1234567890123456", "yunexpress", "YunExpress YT+16"),
        DetectionCase("751234567890", "zto", also: ["fedex", "gls"], "ZTO 12 starting 7"),
        DetectionCase("531234567890", "zto", also: ["fedex"], "ZTO 12 starting 5"),
        DetectionCase("75123456789012", "zto", also: ["dpd"], "ZTO 14 starting 75"),
        DetectionCase("773012345678", "sto", also: ["zto", "fedex"], "STO 12 starting 77"),
        DetectionCase("8801234567890", "sto", "STO 13 starting 88"),
        DetectionCase("268012345678", "sto", also: ["fedex"], "STO 12 starting 26"),
        DetectionCase("4312345678901", "yunda", "Yunda 13 starting 43"),
        DetectionCase("4612345678901", "yunda", "Yunda 13 starting 46"),
        DetectionCase("3101234567890", "yunda", "Yunda 13 starting 31"),
        DetectionCase("JD0012345678901", "jd", "JD+13"),
        DetectionCase("JD001234567890123", "jd", "JD+15"),
        DetectionCase("JDVA01234567890", "jd", "JDVA+11"),
        DetectionCase("LP00123456789012", "cainiao", "Cainiao LP+14"),
        DetectionCase("LP0012345678901234", "cainiao", "Cainiao LP+16"),
        DetectionCase("CNG12345678", "cainiao", also: ["australia-post"], "Cainiao CNG"),
        DetectionCase("4PX3001180186998CN", "4px", "4PX+digits+CN"),
        DetectionCase("4PX3001180186998", "4px", "4PX+digits"),
        // Others
        DetectionCase("12345678901", "aramex", also: ["gls"], "Aramex / GLS 11"),
        DetectionCase("01234567890123", "dpd", also: ["russian-post"], "DPD 14"),
        DetectionCase("012345678901", "fedex", also: ["gls"], "GLS 12"),
        DetectionCase("1234567890123456", "canada-post", "Canada Post 16"),
        DetectionCase("33ABC1234567", "australia-post", also: ["star-track"], "Australia Post 33"),
        DetectionCase("ABC12345678", "australia-post", also: ["star-track"], "Australia Post 3+8"),
        DetectionCase("123456789", "tnt", "TNT 9"),
        DetectionCase("6A12345678901", "colissimo", also: ["laposte"], "Colissimo 13"),
        DetectionCase("3SABCD1234567", "postnl-3s", also: ["postnl-parcels"], "PostNL 3S"),
        DetectionCase("PQ4F6P0703673180108080Q", "correos-spain", "Correos PQ"),
        DetectionCase("C11031500001879", "ontrac", "OnTrac C+14"),
        DetectionCase("D10011234567890", "ontrac", "OnTrac D+14"),
        DetectionCase("JD0002212345678901", "yodel", "Yodel JD+16"),
        DetectionCase("602677123456789012345678", "inpost-paczkomaty", "InPost 24"),
    ]

    @Test(arguments: detectionCases)
    func detectsTheExpectedCarrierFirst(_ example: DetectionCase) {
        let codes = Carriers.detect(example.number).map(\.code)
        #expect(codes.first == example.first, "got \(codes)")
        for code in example.also {
            #expect(codes.contains(code), "\(code) missing from \(codes)")
        }
        #expect(Set(codes).count == codes.count, "duplicate candidates in \(codes)")
    }

    @Test(arguments: detectionCases)
    func everyCandidateIsACatalogCarrier(_ example: DetectionCase) {
        for detection in Carriers.detections(example.number) {
            #expect(Carriers.carrier(code: detection.carrier.code) == detection.carrier)
            #expect(!detection.rule.isEmpty)
        }
    }

    // MARK: - Ranking

    @Test func chinaEmsPrefixesPutChinaEmsFirst() {
        #expect(Carriers.detect("EA123456785CN").map(\.code).prefix(2) == ["china-ems", "china-post"])
        #expect(Carriers.detect("LK987654326CN").map(\.code) == ["china-ems", "china-post", "epacket"])
        #expect(Carriers.detect("RR123456785CN").map(\.code) == ["china-post"])
        #expect(Carriers.detect("VA102030405CN").map(\.code) == ["china-post", "china-ems"])
    }

    @Test func badS10CheckDigitStillDetectsButRanksLower() throws {
        let good = try #require(Carriers.detections("RR123456785CN").first)
        let bad = try #require(Carriers.detections("RR123456784CN").first)
        #expect(bad.carrier.code == "china-post")
        #expect(bad.score < good.score)
        #expect(good.score == 100)

        let badEms = Carriers.detections("EA123456780CN")
        #expect(badEms.map(\.carrier.code) == ["china-ems", "china-post"])
        #expect(badEms.allSatisfy { $0.score < good.score })
    }

    @Test func badUpsCheckDigitStillDetectsButRanksLower() throws {
        let good = try #require(Carriers.detections("1Z999AA10123456784").first)
        let bad = try #require(Carriers.detections("1Z999AA10123456783").first)
        #expect(bad.carrier.code == "ups")
        #expect(bad.score < good.score)
    }

    @Test func specificDigitRulesOutrankLengthOnlyRules() {
        // Two-digit prefix (STO) > one-digit prefix (ZTO) > FedEx's 12 digits > GLS's 11–12 digits.
        #expect(Carriers.detect("773012345678").map(\.code) == ["sto", "zto", "fedex", "gls"])
        // Ten digits: DHL Express before Aramex.
        #expect(Carriers.detect("1234567890").map(\.code) == ["dhl", "aramex"])
        // USPS wins the 22-digit 92 numbers; DHL eCommerce (SmartMail) trails.
        #expect(Carriers.detect("9261290100130435082485").map(\.code) == ["usps", "dhlglobalmail"])
    }

    @Test func scoresAreSortedDescending() {
        for example in Self.detectionCases {
            let scores = Carriers.detections(example.number).map(\.score)
            #expect(scores == scores.sorted(by: >), "\(example.number): \(scores)")
        }
    }

    @Test func s10CheckDigitMatchesKnownValues() throws {
        let cases: [(String, Int)] = [
            ("RR123456785CN", 5), ("RR000000005CN", 5), ("RR987654326CN", 6), ("RR471108151CN", 1),
            ("RR314159268CN", 8),
        ]
        for (number, check) in cases {
            let normalized = try #require(Carriers.NormalizedNumber(number))
            #expect(Carriers.s10CheckDigit(normalized) == check, "\(number)")
        }
    }

    /// The seed makes S10 numbers with the same check digit detection verifies.
    @Test func seededS10NumbersVerify() throws {
        var rng = SplitMix(seed: 7)
        for code in ["china-post", "china-ems", "royal-mail", "canada-post", "japan-post"] {
            let carrier = try #require(Carriers.carrier(code: code))
            for _ in 0..<20 {
                let number = Sandbox.sampleNumber(for: carrier, &rng)
                let detected = try #require(Carriers.detections(number).first, "\(number)")
                #expect(detected.rule == "UPU S10", "\(code) \(number): \(detected.rule)")
            }
        }
    }

    // MARK: - Input handling

    @Test func detectionNormalisesCaseSpacesAndHyphens() {
        #expect(Carriers.detect("  rr 123-456-785 cn ").map(\.code) == ["china-post"])
        #expect(Carriers.detect("1z999aa10123456784").map(\.code) == ["ups"])
    }

    @Test(arguments: [
        "hello", "", "123", "   ", "RR12345678CN", "1Z", "ABCDEFGHIJKLM", "hello world", "RR123456785C🙂",
        "RR123456785CN!", "12345678", String(repeating: "1", count: 41),
    ])
    func garbageDetectsNothing(_ number: String) {
        #expect(Carriers.detect(number).isEmpty)
    }

    @Test func detectionIsDeterministic() {
        for example in Self.detectionCases {
            #expect(Carriers.detections(example.number) == Carriers.detections(example.number))
        }
    }
}

/// A whole file as UTF-8 text, or nil.
private func readText(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}
