import PropertyBased
import Testing
@testable import TrackingMore

/// The calendar, the JSON reader's numbers and Retry-After: checked for every input.
@Suite struct TimePropertyTests {
    /// Every Int is a moment `parts` can name (no overflow at either end).
    @Test func partsIsTotal() async {
        await propertyCheck(count: 150, input: Gen.int()) { t in
            let (_, m, d, hh, mm, ss) = UTC.parts(t)
            #expect((1...12).contains(m) && (1...31).contains(d) && (0...23).contains(hh) && (0...59).contains(mm) && (0...59).contains(ss))
        }
        for t in [Int.min, Int.max, -1, 0] { _ = UTC.iso(t) }
    }

    /// ISO text round-trips for every second from year 1 to 9999.
    @Test func isoRoundTrips() async {
        let first = UTC.seconds(year: 1, month: 1, day: 1) ?? 0
        await propertyCheck(count: 150, input: Gen.int(in: first...UTC.latest)) { t in
            #expect(UTC.parse(UTC.iso(t)) == t)
            #expect(UTC.parse(UTC.dateTime(t)) == t)
        }
    }

    /// The four-digit years written byte by byte read as the other years are written (by
    /// interpolation, padded): years 0 to 9999 and centuries either side.
    @Test func isoIsWrittenAsPadded() async {
        func padded(_ n: Int, _ width: Int = 2) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let yearZero = -62_167_219_200
        await propertyCheck(count: 300, input: Gen.int(in: yearZero - 400 * 366 * 86400...UTC.latest + 400 * 366 * 86400)) { t in
            let (y, m, d, hh, mm, ss) = UTC.parts(t)
            let date = "\(padded(y, 4))-\(padded(m))-\(padded(d))"
            let time = "\(padded(hh)):\(padded(mm)):\(padded(ss))"
            #expect(UTC.iso(t) == "\(date)T\(time)+00:00")
            #expect(UTC.dateTime(t) == "\(date) \(time)")
        }
        #expect(UTC.iso(yearZero) == "0000-01-01T00:00:00+00:00")
        #expect(UTC.iso(UTC.latest) == "9999-12-31T23:59:59+00:00")
        #expect(UTC.dateTime(UTC.latest + 1) == "10000-01-01 00:00:00")
    }

    /// Parts out of range are no date, never an overflow.
    @Test func secondsChecksEveryPart() async {
        await propertyCheck(count: 150, input: Gen.int(), Gen.int(in: -5...20), Gen.int(in: -5...40), Gen.int()) { y, m, d, h in
            if let t = UTC.seconds(year: y, month: m, day: d, hour: h) {
                #expect((1...9999).contains(y) && (0...23).contains(h) && t <= UTC.latest)
            }
        }
        #expect(UTC.seconds(year: 2024, month: 2, day: 29) != nil)
        #expect(UTC.seconds(year: 2023, month: 2, day: 29) == nil)
        #expect(UTC.seconds(year: 1_000_000_000_000_000, month: 1, day: 1) == nil)
    }

    /// Random text of date characters: a date or nothing.
    @Test func parseNeverTraps() async {
        let chars = Gen<Character?>.element(of: Array("0123456789-:T Z+") as [Character]).map { $0 ?? "0" }
        await propertyCheck(count: 200, input: chars.string(of: 8...30)) { text in
            if let t = UTC.parse(text) { #expect(t <= UTC.latest + 86400 && t >= -62_135_596_800 - 86400, "\(text)") }
        }
    }

    /// JSON numbers of any length: an int when it fits, a double when not; never a trap.
    @Test func jsonNumbers() async throws {
        await propertyCheck(count: 150, input: Gen.number.string(of: 1...40), Gen.bool) { digits, negative in
            let text = (negative ? "-" : "") + (digits.count > 1 && digits.first == "0" ? "1" + digits.dropFirst() : digits)
            let value = try? JSON.parse(Array(text.utf8))
            if let i = Int(text) {
                #expect(value == .int(i), "\(text)")
            } else if case .double? = value {
            } else {
                Issue.record("\(text) gave \(String(describing: value))")
            }
        }
        for text in ["1e400", "-1e400", "1e-400", "123456789012345678901234567890e10"] {
            _ = try? JSON.parse(Array(text.utf8))
        }
    }

    /// Retry-After: the server's seconds, never more than the cap; nonsense is ignored.
    @Test func retryAfterIsCapped() async {
        await propertyCheck(count: 200, input: Gen.int()) { n in
            let d = RetryPolicy.retryAfter(String(n))
            if n < 0 { #expect(d == nil) } else { #expect(d.map { $0 <= RetryPolicy.retryAfterCap } == true) }
        }
        #expect(RetryPolicy.retryAfter("99999999999999999999999") == nil)
        #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(RetryPolicy.retryAfter("3") == .seconds(3))
    }
}
