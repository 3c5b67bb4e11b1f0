/// Country names for the `original_country` and `destination_country` fields.
enum Countries {
    static let names: [String: String] = [
        "AE": "United Arab Emirates", "AR": "Argentina", "AT": "Austria", "AU": "Australia", "BE": "Belgium",
        "BR": "Brazil", "CA": "Canada", "CH": "Switzerland", "CL": "Chile", "CN": "China", "CZ": "Czech Republic",
        "DE": "Germany", "DK": "Denmark", "ES": "Spain", "FI": "Finland", "FR": "France", "GB": "United Kingdom",
        "GR": "Greece", "HK": "Hong Kong", "HU": "Hungary", "ID": "Indonesia", "IE": "Ireland", "IL": "Israel",
        "IN": "India", "IT": "Italy", "JP": "Japan", "KR": "South Korea", "MX": "Mexico", "MY": "Malaysia",
        "NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand", "PH": "Philippines", "PL": "Poland",
        "PT": "Portugal", "RO": "Romania", "RU": "Russia", "SA": "Saudi Arabia", "SE": "Sweden", "SG": "Singapore",
        "TH": "Thailand", "TR": "Turkey", "TW": "Taiwan", "UA": "Ukraine", "US": "United States", "VN": "Vietnam",
        "ZA": "South Africa",
    ]

    static func name(_ code: String) -> String {
        names[code.uppercased()] ?? code.uppercased()
    }

    /// The 2-letter code of a country given by code or by name.
    static func code(_ text: String) -> String? {
        let upper = text.uppercased()
        if names[upper] != nil { return upper }
        return names.first { $0.value.uppercased() == upper }?.key
    }
}
