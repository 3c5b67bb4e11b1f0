import Testing

@testable import TrackingMore

/// The one hex reader and writer, and the three formats that use it.
@Suite struct HexTests {
    @Test func readsEveryDigitAndNothingElse() {
        for byte in UInt8.min...UInt8.max {
            let expected = UInt8(String(UnicodeScalar(byte)), radix: 16)
            #expect(Hex.value(byte) == expected, "byte \(byte)")
        }
    }

    @Test func writesTwoDigitsAByte() {
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
        #expect(Hex.encode([0x0f, 0xa5], uppercase: true) == "0FA5")
    }

    @Test func percentEncodingRoundTrips() {
        let text = "a b/ü%?&=#~"
        #expect(percentEncoded(text) == "a%20b%2F%C3%BC%25%3F%26%3D%23~")
        #expect(percentDecoded(percentEncoded(text)) == text)
        #expect(percentDecoded("%zz%4") == "%zz%4", "invalid sequences are kept as written")
    }

    @Test func jsonEscapesUseIt() throws {
        #expect(JSON.string("\u{01}\u{1f}").compactText == #""\u0001\u001f""#)
        #expect(try JSON.parse(Array(#""\u00e9\u00C9\uD83D\uDE00""#.utf8)) == .string("éÉ😀"))
        #expect(throws: JSONParseError.self) { try JSON.parse(Array(#""\u00g0""#.utf8)) }
    }
}
