/// The sandbox's carrier catalog: what `GET /carriers` lists and what `/carriers/detect` picks from.
///
/// Codes, names, phones and homepages follow TrackingMore's v2 carrier list (the list its
/// `/carriers` endpoint served, as mirrored in public client code); homepages are given
/// protocol-relative (`//www.ups.com/`) as the API gives them. Where the vendor's own data
/// differs from common guesses, the vendor wins: France's post is `laposte` (with `colissimo`
/// and `chronopost` beside it) and Mexico's is `correos-mexico`.
public enum Carriers {
    /// Every carrier the sandbox knows, in listing order (big express carriers first, then
    /// national posts). Codes are unique.
    public static let all: [Carrier] = entries.map(\.carrier)

    /// The carrier with this code (`ups`, `china-post`...), or nil. Codes are lowercase;
    /// an uppercase query is tried lowercased too.
    public static func carrier(code: String) -> Carrier? {
        if let found = byCode[code] { return found }
        let lowered = code.lowercased()
        return lowered == code ? nil : byCode[lowered]
    }

    /// The national postal operator of an ISO 3166-1 alpha-2 country (case-insensitive), as
    /// the UPU S10 suffix names it: "CN" → china-post, "US" → usps, "GB" → royal-mail,
    /// "DE" → deutsche-post. Nil when the catalog has no post for that country.
    public static func postalOperator(country: String) -> Carrier? {
        if let found = operatorByCountry[country] { return found }
        let upper = country.uppercased()
        return upper == country ? nil : operatorByCountry[upper]
    }

    /// Carriers whose code or name contains `text`, case-insensitively, in listing order.
    /// An empty (or all-blank) text matches every carrier.
    public static func search(_ text: String) -> [Carrier] {
        var trimmed = Substring(text)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        if trimmed.isEmpty { return all }
        let needle = trimmed.lowercased()
        return all.filter { $0.code.contains(needle) || $0.name.lowercased().contains(needle) }
    }

    // MARK: - Indexes (built once)

    private static let byCode: [String: Carrier] = Dictionary(
        all.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }
    )

    private static let operatorByCountry: [String: Carrier] = Dictionary(
        entries.compactMap { entry in entry.postOf.map { ($0, entry.carrier) } },
        uniquingKeysWith: { first, _ in first }
    )

    // MARK: - The catalog

    struct Entry: Sendable {
        let carrier: Carrier
        /// The country whose national postal operator this is (for S10 suffixes), if any.
        let postOf: String?
    }

    /// An express or courier company.
    private static func express(
        _ code: String, _ name: String, _ homepage: String, _ country: String, _ phone: String = ""
    ) -> Entry {
        Entry(
            carrier: Carrier(code: code, name: name, homepage: homepage, kind: .express, country: country, phone: phone),
            postOf: nil
        )
    }

    /// A postal service listed as `globalpost` that is not the country's main operator
    /// (EMS arms, parcel arms...).
    private static func postal(
        _ code: String, _ name: String, _ homepage: String, _ country: String, _ phone: String = ""
    ) -> Entry {
        Entry(
            carrier: Carrier(code: code, name: name, homepage: homepage, kind: .globalpost, country: country, phone: phone),
            postOf: nil
        )
    }

    /// The national postal operator of `country` (S10 suffixes map to it).
    private static func post(
        _ code: String, _ name: String, _ homepage: String, _ country: String, _ phone: String = "",
        kind: Carrier.Kind = .globalpost
    ) -> Entry {
        Entry(
            carrier: Carrier(code: code, name: name, homepage: homepage, kind: kind, country: country, phone: phone),
            postOf: country
        )
    }

    static let entries: [Entry] = expressEntries + postalEntries + nationalPosts

    // Express and courier companies.
    private static let expressEntries: [Entry] = [
        express("dhl", "DHL", "//www.dhl.com/", "DE", "1 800 225 5345"),
        express("ups", "UPS", "//www.ups.com/", "US", "1 800 742 5877"),
        express("fedex", "Fedex", "//www.fedex.com/", "US", "1 800 247 4747"),
        express("tnt", "TNT", "//www.tnt.com/", "NL", "1 800 558 5555"),
        express("dpd", "DPD", "//www.dpd.com/", "DE", "016050025777690"),
        express("gls", "GLS", "//gls-group.eu/EU/en/home", "DE", "44 247 621 3455"),
        express("aramex", "Aramex", "//www.aramex.com/", "AE", "600-544000"),
        express("toll", "TOLL", "//www.tollgroup.com/", "AU", "+61 13 15 31 / +852 8106 3232"),
        // China
        express("sf-express", "S.F Express", "//www.sf-express.com/", "CN", "+86 95338"),
        express("sfb2c", "SF International", "//intl.sf-express.com/", "CN", "(+86) 9533883"),
        express("yto", "YTO Express", "//www.yto.net.cn/", "CN", "95554"),
        express("zto", "ZTO Express", "//www.zto.cn/", "CN", "4008-270-270"),
        express("sto", "STO Express", "//www.sto.cn/", "CN", "95543"),
        express("yunda", "Yunda Express", "//www.yundaex.com/cn/index.php", "CN", "+86 95546"),
        express("jd", "JD Express", "//www.jd-ex.com/", "CN", "400-603-3600"),
        express("bestex", "Best Express", "//www.800bestex.com/", "CN", "+86 4009 565656"),
        express("ttkd", "TTKD Express", "//www.ttkdex.com/", "CN", "4001-888888"),
        express("deppon", "DEPPON", "//www.deppon.com/", "CN", "+86 95353"),
        express("zjs-express", "ZJS International", "//www.zjs.com.cn/", "CN", "400-6789-000"),
        express("uc-express", "UC Express", "//www.uce.cn/index.html", "CN", "+86 400 111 1119"),
        express("kye", "KUAYUE EXPRESS", "//www.ky-express.com/", "CN", "4008098098"),
        express("ane66", "Ane Express", "//www.ane56.com/", "CN", "40010-40088"),
        express("cainiao", "Aliexpress Standard Shipping", "//global.cainiao.com/", "CN", "400-6767-903"),
        express("4px", "4PX", "//express.4px.com/", "CN", "86-755-23508000"),
        express("yunexpress", "Yun Express", "//www.yunexpress.com/", "CN", "4000-2621-26"),
        express("yanwen", "YANWEN", "//www.yw56.com.cn/english/index.aspx", "CN", "86 0755-61190719/20/21/22"),
        express("wishpost", "WishPost", "//www.wishpost.cn/", "CN", "13917283454"),
        express("cnexps", "CNE Express", "//tracking.cne.com/cnexx/15/d.htm", "CN", "86 400 021 5600"),
        express("anjun", "Anjun Logistics", "//www.szanjun.com/", "CN", "+86 400-999-6128"),
        express("flytexpress", "Flyt Express", "//www.flytexpress.com/", "CN", "400-888-4003"),
        express("sunyou", "Sunyou", "//www.sunyou.hk/", "CN", "400-607-5388"),
        express("sfcservice", "SFC Service", "//www.sfcservice.com/", "CN", "+86 400-881-8106"),
        express("equick-cn", "Equick China", "//www.equick.cn/", "CN", "4007066078"),
        express("speedpak", "SpeedPAK", "//www.orangeconnex.com.cn/", "CN", "86-21-60556068"),
        express("cj-dropshipping", "CJ Dropshipping", "//cjdropshipping.com/", "CN", "1(909) 809-1104"),
        // DHL family
        express("dhlparcel-nl", "DHL Parcel Netherlands", "//www.dhlparcel.nl/", "NL", "+31(0)900 - 222 21 20"),
        express("dhl-poland", "DHL Poland Domestic", "//www.dhl.com.pl/", "PL", "+48 42 6 345 345"),
        express("dhl-es", "DHL Spain Domestic", "//www.dhl.es/", "ES", "+34 902 09 05 41"),
        express("dhl-global-logistics", "DHL Global Forwarding", "//www.logistics.dhl/", "DE", "+607 5629 223"),
        // Europe
        express("postnl-3s", "PostNL International 3S", "//www.postnl.nl/voorthuis/", "NL", "+31 (0)900 0990"),
        express("hermes-uk", "MyHermes UK", "//www.myhermes.co.uk/", "GB", "+44 330 333 6556"),
        express("hermes-de", "Hermes Germany", "//www.myhermes.de/", "DE", "+49 1806-311211"),
        express("yodel", "Yodel", "//www.yodel.co.uk/", "GB", "0844 755 0117"),
        express("dpd-uk", "DPD UK", "//www.dpd.co.uk/", "GB", "+44 845 9 300 350"),
        express("dpd-de", "DPD Germany", "//tracking.dpd.de/", "DE"),
        express("dpd-poland", "DPD Poland", "//www.dpd.com.pl/", "PL", "+48 801 400 373"),
        express("dpd-ireland", "DPD Ireland", "//dpd.ie/", "IE", "+353 (0)90 64 20500"),
        express("gls-italy", "GLS Italy", "//www.gls-italy.com/", "IT", "+39 199 151188"),
        express("bartolini", "BRT Bartolini", "//www.brt.it/", "IT", "+39 011 397 411 1"),
        express("italy-sda", "Italy SDA", "//www.sda.it/", "IT", "+39 199 113366"),
        express("tnt-it", "TNT Italy", "//www.tnt.it/", "IT", "+39 199 803 868"),
        // In the carrier table of the PyPI client (Tests/Data/client-carrier-codes.tsv).
        express("sgt-it", "SGT Corriere Espresso", "//www.sgt.it/", "IT"),
        express("nexive", "Nexive", "//www.nexive.it/", "IT"),
        express("tnt-fr", "TNT France", "//www.tnt.fr/", "FR", "0825071071"),
        express("tnt-uk", "TNT UK", "//www.tnt.co.uk/", "GB", "0800 100 600"),
        express("fedex-uk", "FedEx UK", "//www.fedex.com/gb/ukservices/", "GB", "+ 44 2476 706 660"),
        express("mondialrelay", "Mondial Relay", "//www.mondialrelay.fr/suivi-de-colis/", "FR", "09 69 32 23 32"),
        express("colis-prive", "Colis Privé", "//www.colisprive.fr/", "FR", "+33 0826 82 83 84"),
        express("correosexpress", "Correos Express", "//www.correosexpress.com/", "ES", "902 1 22 333"),
        express("mrw-spain", "MRW", "//www.mrw.es/", "ES", "+34 902 300 403"),
        express("international-seur", "International Seur", "//www.seur.com/", "ES", "+34 902101010"),
        express("inpost-paczkomaty", "InPost Paczkomaty", "//paczkomaty.pl/", "PL", "+48 801 400 100"),
        express("asendia-de", "Asendia Germany", "//www.asendia.de/en/", "DE", "+49 0800 18 17 000"),
        express("asendia-uk", "Asendia UK", "//www.asendia.co.uk/", "GB", "0845 8738155"),
        express("landmark-global", "Landmark Global", "//landmarkglobal.com/", "BE", "+32 2 201 23 45"),
        express("dbschenker", "DB Schenker", "//www.dbschenker.com/", "DE"),
        express("dsv", "DSV", "//www.dsv.com/", "DK", "1 (732) 850-8000"),
        express("skynetworldwide", "SkyNet Worldwide Express", "//www.skynetwwe.com/", "GB", "+44 (0) 20 8538 1988"),
        express("cdek", "CDEK Express", "//cdek-express.com/", "RU", "8 800 250-14-05"),
        express("nova-poshta", "Nova Poshta", "//novaposhta.ua/", "UA", "+380 50-4-500-609"),
        express("meest", "Meest Express", "//t.meest-group.com/en", "UA", "1 800 288 9949"),
        // Americas
        express("fedex-ground", "Fedex Ground", "//www.fedex.com/", "US", "1 800 247 4747"),
        express("fedex-freight", "Fedex Freight", "//www.fedex.com/us/freight/", "US", "1 800 247 4747"),
        express("ups-freight", "UPS Freight", "//ltl.upsfreight.com/", "US", "+1 800-333-7400"),
        express("ups-mi", "UPS Mail Innovations", "//www.upsmailinnovations.com/", "US", "+1 800-500-2224"),
        express("ontrac", "OnTrac", "//www.ontrac.com/", "US", "+1 800 334 5000"),
        express("lasership", "Lasership", "//www.lasership.com/", "US", "(804) 414-2590"),
        express("asendia-usa", "Asendia USA", "//www.brokersworldwide.com/", "US", "+1 610 461 3661"),
        express("apc", "APC Postal Logistics", "//www.apc-pli.com/", "US", "+1 (888) 413-7300"),
        express("i-parcel", "I-parcel", "//www.i-parcel.com/", "GB", "+44 (0) 1342 315 455"),
        express("purolator", "Purolator", "//www.purolator.com/", "CA", "1-888-744-7123"),
        express("canpar", "Canpar Courier", "//www.canpar.ca/en/home.jsp", "CA", "1-800-387-9335"),
        // Asia-Pacific, Middle East, Africa
        express("star-track", "Star Track Express", "//www.star-track.com.au/", "AU", "+61 13 2345"),
        express("toll-ipec", "Toll IPEC", "//www.tollgroup.com/tollipec", "AU", "+61 1300 865 54"),
        express("couriers-please", "Couriers Please", "//www.couriersplease.com.au/", "AU", "+61 1300 361 000"),
        express("fastway-au", "Fastway Australia", "//www.fastway.com.au/", "AU", "+61 (0) 2 9737 8288"),
        express("sendle", "Sendle", "//www.sendle.com/", "AU"),
        express("tnt-au", "TNT Australia", "//www.tnt.com/express/en_au/site/home.html", "AU", "131150"),
        express("sagawa", "Sagawa", "//www.sagawa-exp.co.jp/", "JP", "+81 0120-18-9595"),
        express("taqbin-jp", "Yamato Japan", "//www.kuronekoyamato.co.jp/en/", "JP", "0120 01 9625"),
        express("doortodoor", "CJ Logistics", "//www.doortodoor.co.kr/parcel/pa_004.jsp", "KR", "110-81-05034"),
        express("hanjin", "Hanjin Shipping", "//www.hanjin.co.kr/", "KR", "+82 02-728-5114"),
        express("ninjavan", "Ninja Van", "//ninjavan.sg/", "SG", "+65 6602 8271"),
        express("ninjavan-my", "Ninja Van Malaysia", "//www.ninjavan.co/en-my", "MY"),
        express("gdex", "GDEX", "//www.gdexpress.com/", "MY", "+60 03-77872222"),
        express("poslaju", "Poslaju", "//www.poslaju.com.my/", "MY", "+60376261900"),
        express("kerry-logistics", "Kerry Express", "//www.kerrylogistics.com/", "HK", "+852 2410 3600"),
        express("lbcexpress", "LBC Express", "//www.lbcexpress.com/", "PH", "+63 800-10-8585999"),
        express("viettelpost", "Viettel Post", "//en.viettelpost.com.vn/", "VN", "+84 1900 8095"),
        express("bluedart", "Bluedart", "//www.bluedart.com/", "IN", "1860 233 1234"),
        express("delhivery", "Delhivery", "//www.delhivery.com/", "IN", "+91 (124) 6719500"),
        express("dtdc", "DTDC", "//dtdc.com/", "IN", "3300444"),
        express("ecom-express", "Ecom Express", "//www.ecomexpress.in/", "IN", "+91 011-30212000"),
        express("xpressbees", "XpressBees", "//www.xpressbees.com/", "IN", "+91 020 46608 105"),
        express("smsa-express", "SMSA Express", "//www.smsaexpress.com/", "SA", "+966 92000 9999"),
        express("naqel", "Naqel", "//www.naqel.com.sa/shipment_tracking.php", "SA", "+966 1147 10030"),
        express("imile", "iMile", "//mweb.imile.com/", "AE", "+971 58 956 0844"),
        express("thecourierguy", "The Courier Guy", "//www.thecourierguy.co.za/", "ZA", "010 222 2300"),
    ]

    // Postal services that are not a country's main operator: EMS and parcel arms, e-commerce mail.
    private static let postalEntries: [Entry] = [
        postal("china-ems", "China EMS", "//www.ems.com.cn/english.html", "CN", "11183"),
        postal("epacket", "ePacket", "//www.ems.com.cn/english.html", "CN", "+86 11183"),
        postal("dhl-germany", "Deutsche Post DHL", "//www.dhl.de/", "DE", "+49 228 28609898"),
        postal("dhlglobalmail", "DHL ECommerce", "//webtrack.dhlglobalmail.com/", "US", "+1 317-554-5191"),
        postal("dhlecommerce-asia", "DHL Global Mail Asia", "//dhlecommerce.asia/Portal/Track", "SG", "+65 6883 0771"),
        postal("parcel-force", "Parcel Force", "//www.parcelforce.com/", "GB", "0344 800 4466"),
        postal("usps-international", "USPS International", "//www.usps.com/", "US", "1-800-275-8777"),
        postal("colissimo", "Colissimo", "//www.colissimo.fr/", "FR"),
        postal("chronopost", "France EMS - Chronopost", "//www.chronopost.fr/", "FR", "0969 391 391"),
        postal("singapore-speedpost", "Singapore Speedpost", "//www.speedpost.com.sg/", "SG", "(+65) 6222 5777"),
        postal("australia-ems", "Australia EMS", "//auspost.com.au/", "AU", "61 3 8847 9045"),
        postal("ukraine-ems", "Ukraine EMS", "//dpsz.ua/", "UA", "(380) 44 245-43-15"),
        postal("xpresspost", "Xpresspost", "//www.canadapost.ca/", "CA", "1-866-607-6301"),
        postal("netherlands-post", "Netherlands Post", "//parcels-uk.tntpost.com/", "NL"),
        postal("mailamericas", "MailAmericas", "//www.mailamericas.com/", "AR", "+ 54 11 4814 1500"),
    ]

    // National postal operators, one per country (the S10 suffix maps here).
    private static let nationalPosts: [Entry] = [
        post("china-post", "China Post", "//yjcx.ems.com.cn/qps/yjcx", "CN", "86 20 11185"),
        post("usps", "USPS", "//www.usps.com/", "US", "1-800-275-8777"),
        post("royal-mail", "United Kingdom Royal Mail", "//www.royalmail.com/", "GB", "44 1752387112"),
        // TrackingMore files Deutsche Post under `express`; it is still Germany's S10 operator.
        post("deutsche-post", "Deutsche Post", "//www.deutschepost.de/", "DE", "0228 4333118", kind: .express),
        post("laposte", "La Poste", "//www.laposte.fr/", "FR", "33 3631"),
        post("japan-post", "Japan Post", "//www.post.japanpost.jp/", "JP", "+81 0570-046111"),
        post("korea-post", "Korea Post", "//www.epost.go.kr/", "KR", "82-2-2108-9895"),
        post("singapore-post", "Singapore Post", "//www.singpost.com/", "SG", "0065 / 6841 2000"),
        post("hong-kong-post", "Hong Kong Post", "//www.hongkongpost.hk/", "HK", "852 2921 2222"),
        post("taiwan-post", "Chunghwa POST", "//ipost.post.gov.tw/", "TW", "0800-700-365"),
        post("macao-post", "Macao Post", "//www.macaupost.gov.mo/", "MO", "+(853) 2857 4491"),
        post("swiss-post", "Swiss Post", "//www.post.ch/", "CH", "0848 888 888"),
        post("postnl-parcels", "Netherlands Post - PostNL", "//www.postnl.post/", "NL", "+31 (0) 900 0990"),
        post("belgium-post", "Bpost", "//www.bpost.be/", "BE", "+32 2 276 22 74"),
        post("luxembourg-post", "Luxembourg Post", "//www.post.lu/", "LU", "(352) 8002 8004"),
        post("austria-post", "Austrian Post", "//www.post.at/", "AT"),
        post("poste-italiane", "Poste Italiane", "//www.poste.it/", "IT", "39 803 160"),
        post("correos-spain", "Correos", "//www.correos.es/", "ES", "+34 902197197"),
        post("ctt", "Portugal Post - CTT", "//www.ctt.pt/", "PT", "(351) 707262626"),
        post("an-post", "An Post", "//www.anpost.ie/", "IE", "(353) 01-7057600"),
        post("sweden-posten", "Sweden Posten", "//www.posten.se/", "SE", "+46 771 33 33 10"),
        post("posten-norge", "Posten Norge", "//www.posten.no/", "NO", "+(47) 21 31 62 60"),
        post("denmark-post", "Denmark post", "//www.postdanmark.dk/", "DK", "+45 70 70 70 30"),
        post("finland-posti", "Finland Post - Posti", "//www.posti.fi/", "FI", "358 200 77000"),
        post("iceland-post", "Iceland Post", "//www.postur.is/", "IS", "+354 5801000"),
        post("aland-post", "Åland Post", "//www.posten.ax/", "AX", "358 18 6360"),
        post("faroe-islands-post", "Faroe Islands Post", "//www.posta.fo/", "FO", "+298 34 60 00"),
        post("tele-post", "Greenland Post", "//www.post.gl/", "GL", "89 15 55"),
        post("omniva", "Estonia Post", "//www.omniva.ee/", "EE", "372 661 6616"),
        post("latvijas-pasts", "Latvia Post", "//www.pasts.lv/", "LV", "(371) 27008001"),
        post("lietuvos-pastas", "Lithuania Post", "//www.post.lt/", "LT", "(370) 8 700 55400"),
        post("poczta-polska", "Poland Post", "//www.poczta-polska.pl/", "PL", "(48) 43 842 06 00"),
        post("czech-post", "Česká Pošta", "//www.ceskaposta.cz/", "CZ", "420 954 292 102"),
        post("slovakia-post", "Slovakia Post", "//www.posta.sk/", "SK", "(421) 48 437 87 77"),
        post("magyar-posta", "Magyar Posta", "//posta.hu/", "HU", "(36)/06 40 46 46 46"),
        post("slovenia-post", "Slovenia Post", "//www.posta.si/", "SI", "386 080 14 00"),
        post("hrvatska-posta", "Croatia Post", "//www.posta.hr/", "HR", "+(385) 072 303 304"),
        post("bosnia-and-herzegovina-post", "Bosnia And Herzegovina Post", "//www.posta.ba/", "BA", "033 252 613"),
        post("serbia-post", "Serbia Post", "//www.posta.rs/", "RS", "381 700 100 300"),
        post("posta-crne-gore", "Montenegro Post", "//www.postacg.me/", "ME", "19801"),
        post("macedonia-post", "Macedonia Post", "//www.posta.mk/", "MK", "(389) 02 3 105 105"),
        post("posta-shqiptare", "Albania Post", "//www.postashqiptare.al/", "AL", "0800 4141"),
        post("greece-post", "ELTA Hellenic Post", "//www.elta.gr/", "GR", "(+30) 800-11-82000"),
        post("bulgaria-post", "Bulgaria Post", "//www.bgpost.bg/", "BG", "3592 949 3130"),
        post("posta-romana", "Poșta Română", "//www.posta-romana.ro/", "RO", "+ (40) 021 9393 111"),
        post("moldova-post", "Moldova Post", "//www.posta.md/", "MD", "(373 22) 251-201"),
        post("ukraine-post", "Ukraine Post", "//ukrposhta.ua/", "UA", "+380 44 323 20 99"),
        post("belpochta", "Belarus Post", "//belpost.by/", "BY", "+375 17 293 59 10"),
        post("russian-post", "Russian Post", "//pochta.ru/", "RU", "+7 (495) 956-20-67"),
        post("cyprus-post", "Cyprus Post", "//www.mcw.gov.cy/", "CY", "77778013/0035722805745"),
        post("malta-post", "Malta Post", "//www.maltapost.com/", "MT", "(356) 2596 1740"),
        post("la-poste-monaco", "Monaco Post", "//www.lapostemonaco.mc/", "MC", "+ (377) 99998080"),
        post("san-marino-post", "San Marino Post", "//www.poste.sm/on-line/home.html", "SM", "(378) 0549-882564"),
        post("andorra-post", "Andorra Post", "//www.laposte.fr/", "AD", "0810 821 821"),
        post("liechtenstein-post", "Liechtenstein Post", "//www.post.li/", "LI", "+ (423) 399 44 44"),
        post("gibraltar-post", "Gibraltar  Post", "//www.post.gi/", "GI", "+350 200 75714"),
        post("guernsey-post", "Guernsey Post", "//www.guernseypost.com/", "GG", "01481 711720"),
        post("jersey-post", "Jersey Post", "//www.jerseypost.com/track/", "JE", "+441534616616"),
        post("turkey-post", "Turkey Post", "//www.ptt.gov.tr/", "TR", "90312509 50 00"),
        post("georgian-post", "Georgia Post", "//www.gpost.ge/", "GE", "(995) 2 24 09 09"),
        post("armenia-post", "Armenia Post", "//www.haypost.am/", "AM", "514-514"),
        post("azerbaijan-post", "Azerbaijan Post", "//www.azerpost.az/", "AZ", "(012) 493-56-00"),
        post("kazpost", "Kazakhstan Post", "//www.kazpost.kz/", "KZ", "7 7172  61-16-99"),
        post("kyrgyzpost", "Kyrgyzstan Post", "//kyrgyzpost.kg/", "KG", "(996) 31261 52 94"),
        post("uzbekistan-post", "Uzbekistan Post", "//www.pochta.uz/", "UZ", "(371) 233-6474"),
        post("mongol-post", "Mongol Post", "//www.mongolpost.mn/", "MN", "+ (976) 180001613"),
        post("afghan-post", "Afghan Post", "//afghanpost.gov.af/", "AF", "+93 20 210 1270"),
        post("iran-post", "Iran Post", "//post.ir/", "IR", "88532387"),
        post("israel-post", "Israel Post", "//www.israelpost.co.il/", "IL", "+(972) 2 629 0691"),
        post("jordan-post", "Jordan Post", "//www.jordanpost.com.jo/", "JO", "+(962)-6-4293000"),
        post("liban-post", "Lebanon Post", "//www.libanpost.com/", "LB", "961 1 629628"),
        post("syrian-post", "Syrian Post", "//www.syrianpost.gov.sy/", "SY", "(963) 2247563"),
        post("saudi-post", "Saudi Post", "//www.sp.com.sa/", "SA", "966 9200 05700"),
        post("emirates-post", "Emirates Post", "//www.epg.gov.ae/", "AE", "(971) /600 599999"),
        post("oman-post", "Oman Post", "//www.omanpost.om/", "OM", "+ (968) 24769925"),
        post("bahrain-post", "Bahrain Post", "//www.bahrain.bh/", "BH", "8000 8001"),
        post("yemen-post", "Yemen Post", "//www.yemenpost.net/", "YE", "( 967) 771000202"),
        post("india-post", "India Post", "//www.indiapost.gov.in/", "IN", "+91 1800 11 2011"),
        post("pakistan-post", "Pakistan Post", "//www.pakpost.gov.pk/", "PK", "+(92) 51-4102906"),
        post("bangladesh-ems", "Bangladesh EMS", "//www.bangladeshpost.gov.bd/", "BD", "9558006"),
        post("sri-lanka-post", "Sri Lanka Post", "//www.slpost.gov.lk/", "LK", "(94) 011 2325111"),
        post("bhutan-post", "Bhutan Post", "//www.bhutanpost.bt/", "BT", "+975 02334444"),
        post("maldives-post", "Maldives Post", "//www.maldivespost.com/", "MV", "(960) 33155555"),
        post("thailand-post", "Thailand Post", "//www.thailandpost.co.th/", "TH", "+ (66) 0 2831 3131"),
        post("vietnam-post", "Vietnam Post", "//www.vnpost.vn/", "VN", "+84 1900 54 54 81"),
        post("cambodia-post", "Cambodia Post", "//www.cambodiapost.com.kh/", "KH", "+855 23 723 51"),
        post("laos-post", "Laos Post", "//www.laopostapl.com/", "LA"),
        post("malaysia-post", "Malaysia Post", "//www.pos.com.my/", "MY", "(60) 3-2727-9100"),
        post("indonesia-post", "Indonesia Post", "//www.posindonesia.co.id/", "ID", "62 21 161"),
        post("phlpost", "Philippines Post", "//www.phlpost.gov.ph/", "PH", "+ (63) 854-9825"),
        post("brunei-post", "Brunei Post", "//www.post.gov.bn/", "BN", "673-2382888"),
        post("australia-post", "Australia Post", "//auspost.com.au/", "AU", "61 3 8847 9980"),
        post("new-zealand-post", "New Zealand Post", "//www.nzpost.co.nz/", "NZ", "64 9 367 9710"),
        post("fiji-post", "Fiji Post", "//www.postfiji.com.fj/", "FJ", "(63) 3302022"),
        post("postpng", "Papua New Guinea Post", "//www.postpng.com.pg/", "PG", "(675) 305 3700"),
        post("new-caledonia-post", "New Caledonia Post", "//www.opt.nc/", "NC", "+ 687 27 77 94"),
        post("vanuatu-post", "Vanuatu Post", "//www.vanuatupost.vu/", "VU", "678 22000"),
        post("tonga-post", "Tonga Post", "//www.tongapost.to/", "TO", "+(676) 21700"),
        post("samoa-post", "Samoa Post", "//samoapost.ws/", "WS", "+ 685-27640"),
        post("solomon-post", "Solomon Post", "//www.solomonpost.com.sb/", "SB"),
        post("canada-post", "Canada Post", "//www.canadapost.ca/", "CA", "1 866 607 6301"),
        post("correos-mexico", "Mexico Post", "//www.correosdemexico.gob.mx/", "MX", "(55) 5340 3300"),
        post("brazil-correios", "Brazil Correios", "//www.correios.com.br/", "BR", "55 61 3003 0100"),
        post("correo-argentino", "Argentina Post", "//www.correoargentino.com.ar/", "AR", "(011) 4891-9191"),
        post("correos-chile", "Correos Chile", "//www.correos.cl/", "CL", "562 600 950 2020"),
        post("uruguay-post", "Uruguay Post", "//www.correo.com.uy/", "UY", "(598) 29160200"),
        post("correo-paraguayo", "Paraguay Post", "//www.correoparaguayo.gov.py/", "PY", "(595 21) 498-112/16"),
        post("correos-bolivia", "Bolivia Post", "//www.correosbolivia.com/", "BO", "(591) 2374144"),
        post("serpost", "Serpost", "//www.serpost.com.pe/", "PE", "(51) 511-5000"),
        post("correos-del-ecuador", "Ecuador Post", "//www.correosdelecuador.gob.ec/", "EC", "(593-2) 3829210"),
        post("colombia-post", "Colombia Post", "//www.4-72.com.co/", "CO", "(57-1) 4722000"),
        post("correos-panama", "Panama Post", "//www.correospanama.gob.pa/", "PA", "+ (507) 512-7601"),
        post("correos-de-costa-rica", "Costa Rica Post", "//www.correos.go.cr/", "CR", "(506) 2410 0095"),
        post("nicaragua-post", "Nicaragua Post", "//www.correos.gob.ni/", "NI", "+ (505) 22558410"),
        post("el-salvador-post", "El Salvador Post", "//www.correos.gob.sv/", "SV", "(503) 2527-7600"),
        post("elcorreo", "Guatemala Post", "//www.elcorreo.com.gt/", "GT"),
        post("cuba-post", "Cuba Post", "//www.correos.cu/rastreador-de-envios/", "CU"),
        post("jamaica-post", "Jamaica Post", "//www.jamaicapost.gov.jm/", "JM", "(876) 922-9448"),
        post("barbados-post", "Barbados Post", "//www.bps.gov.bb/", "BB", "+1 (246) 436-4800"),
        post("bermuda-post", "Bermuda Post", "//www.bpo.bm/", "BM", "441.297.7893"),
        post("aruba-post", "Aruba Post", "//www.postaruba.com/", "AW", "(+ 297) 528-7635"),
        post("belize-post", "Belize Post", "//www.belizepostalservice.gov.bz/", "BZ", "+501 227-2201"),
        post("saint-lucia-post", "Saint Lucia Post", "//www.stluciapostal.com/", "LC", "1 (758) 452-2671"),
        post("svgpost", "Saint Vincent And The Grenadines", "//www.svgpost.gov.vc/", "VC", "(784) 4571744"),
        post("south-africa-post", "South African Post Office", "//www.postoffice.co.za/", "ZA", "+(27) 0860 111 502"),
        post("egypt-post", "Egypt Post", "//www.egyptpost.org/", "EG", "16789"),
        post("poste-maroc", "Maroc Poste", "//www.poste.ma/", "MA", "+ (212) 0537 210 202"),
        post("tunisia-post", "Tunisia Post", "//www.poste.tn/", "TN", "(+216) 71 839 000"),
        post("sudan-post", "Sudan Post", "//www.sudapost.com/", "SD", "+1-345-949-6263"),
        post("ethiopia-post", "Ethiopia Post", "//www.ethiopostal.com/", "ET", "+ 251 011 515 20 72"),
        post("eritrea-post", "Eritrea Post", "//www.eriposta.com/", "ER"),
        post("kenya-post", "Kenya Post", "//www.posta.co.ke/", "KE", "(254) 020 324 2000"),
        post("tanzania-post", "Tanzania Post", "//www.posta.co.tz/", "TZ", "+(255) 22-2118280"),
        post("uganda-post", "Uganda Post", "//www.ugapost.co.ug/", "UG", "(256) 414 -255511"),
        post("iposita-rwanda", "Rwanda Post", "//www.i-posita.rw/", "RW"),
        post("burundi-post", "Burundi Post", "//www.poste.bi/indexen.htm", "BI", "(257) 22 32 51"),
        post("zambia-post", "Zambia Post", "//www.zampost.com.zm/", "ZM", "(260) 0978 118881"),
        post("zimbabwe-post", "Zimbabwe Post", "//www.zimpost.co.zw/", "ZW", "(263) 4 783 583-94"),
        post("botswana-post", "Botswana Post", "//www.botspost.co.bw/", "BW", "+267 368 1000"),
        post("namibia-post", "Namibia Post", "//www.nampost.com.na/", "NA", "(264) 61 201 3042"),
        post("lesotho-post", "Lesotho Post", "//lesothopost.org.ls/", "LS", "(266) 2232 1690"),
        post("mauritius-post", "Mauritius Post", "//www.mauritiuspost.mu/", "MU", "+ (230) 208 2851"),
        post("seychelles-post", "Seychelles Post", "//www.seychellespost.gov.sc/", "SC", "(248) 428 85 55"),
        post("nigeria-post", "Nigeria Post", "//www.nipost.gov.ng/", "NG", "+(234) 7055991758"),
        post("ghana-post", "Ghana Post", "//www.ghanapost.com.gh/", "GH", "030-266-8619"),
        post("ivory-coast-ems", "Ivory Coast EMS", "//www.laposte.ci/", "CI", "(225) 20 00 69 50  / 08 83 83 30"),
        post("senegal-post", "Senegal Post", "//www.laposte.sn/", "SN", "(221) 33 839 34 34"),
        post("benin-post", "Benin Post", "//www.laposte.bj/", "BJ", "229-213-13888"),
        post("togo-post", "Togo Post", "//www.laposte.tg/", "TG", "(228) 22214403"),
        post("sonapost", "Burkina Faso Post", "//www.sonapost.bf/", "BF", "(226) 25 30 64 20"),
        post("campost", "Cameroon Post", "//www.campost.cm/", "CM", "237 222 23 21 36"),
        post("correios-cabo-verde", "Correios Cabo Verde", "//www.correios.cv/", "CV", "(238) 800 10 09"),
    ]
}
