import Testing
@testable import TMS

/// The bulk warning quotes each failure's message inside its sentence.
@Suite struct BulkFailuresTests {
    @Test func aMessageReadsMidSentenceAndAnAcronymKeepsItsCase() {
        #expect(BulkFailures.midSentence("Tracking already exists") == "tracking already exists")
        #expect(BulkFailures.midSentence("HTTP 500 without an API envelope") == "HTTP 500 without an API envelope")
        #expect(BulkFailures.midSentence("") == "")
        #expect(BulkFailures.midSentence("A") == "a")
    }
}
