import Testing
@testable import TrackingMore

/// `Endpoint.fieldPositions(in:)` looks for an ASCII key among the names of its length only:
/// other text may equal a name by canonical equivalence, and is compared with every name.
@Suite struct BodyNamesTests {
    @Test func everyEndpointHasItsBodysNames() {
        for e in Catalog.endpoints {
            #expect(Catalog.bodyNames[e.id]?.names == e.body.fields.map(\.name), "\(e.id)")
        }
    }

    @Test func aKeyEqualToANameByCanonicalEquivalenceIsComparedWithIt() throws {
        let names = try #require(Catalog.BodyNames([Field("Kelvin", .string, "a"), Field("a;b", .string, "b"), Field("title", .string, "c")]))
        // The Kelvin sign is a K, the Greek question mark a semicolon; each has more bytes.
        #expect("\u{212A}elvin" == "Kelvin")
        #expect(names.candidates(for: "\u{212A}elvin").contains(0))
        #expect(names.candidates(for: "a\u{037E}b").contains(1))
        #expect(names.candidates(for: "title") == [2])
        #expect(names.candidates(for: "titled") == [0])
        #expect(names.candidates(for: "longer than any").isEmpty)
        #expect(Catalog.BodyNames([Field("n\u{00E9}", .string, "d")]) == nil)
    }
}
