import Testing
@testable import TrackingMoreSandbox

/// Tracking ids are SipHash-2-4 with a 128-bit result: checked against the reference
/// implementation's vectors (key 00 01 … 0f, messages 00 01 … of each length).
@Suite struct SipHashTests {
    static let key: (UInt64, UInt64) = (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908)

    @Test(arguments: [
        (0, "a3817f04ba25a8e66df67214c7550293"), (1, "da87c1d86b99af44347659119b22fc45"),
        (7, "a1f1ebbed8dbc153c0b84aa61ff08239"), (8, "3b62a9ba6258f5610f83e264f31497b4"),
        (15, "5493e99933b0a8117e08ec0f97cfc3d9"), (16, "6ee2a4ca67b054bbfd3315bf85230577"),
        (63, "5150d1772f50834a503e069a973fbd7c"),
    ])
    func referenceVectors(_ length: Int, _ expected: String) {
        let message = (0..<length).map { UInt8($0) }
        var hash = SipHash128(key: Self.key)
        message.withUnsafeBytes { hash.update($0) }
        #expect(hash.hex() == expected)
        // Read in pieces, as an id's hash reads its account, then its tracking, then its time.
        for cut in [0, 3, 8, length / 2, length] where cut <= length {
            var pieces = SipHash128(key: Self.key)
            message[..<cut].withUnsafeBytes { pieces.update($0) }
            let rest = pieces
            var copy = rest
            message[cut...].withUnsafeBytes { copy.update($0) }
            #expect(copy.hex() == expected)
        }
    }

    @Test func trackingIDsAreHexOfTheirTrackingAndTime() {
        let id = Sandbox.trackingID(Sandbox.trackingIDHash("account", "dhl", "1000000000"), 1_748_851_200)
        #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(id == Sandbox.trackingID(Sandbox.trackingIDHash("account", "dhl", "1000000000"), 1_748_851_200))
        #expect(id != Sandbox.trackingID(Sandbox.trackingIDHash("account", "dhl", "1000000000"), 1_748_851_201))
        #expect(id != Sandbox.trackingID(Sandbox.trackingIDHash("account", "dhl", "1000000001"), 1_748_851_200))
        #expect(id != Sandbox.trackingID(Sandbox.trackingIDHash("other", "dhl", "1000000000"), 1_748_851_200))
    }
}
