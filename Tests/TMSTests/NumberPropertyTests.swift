import PropertyBased
import Testing
import TrackingMore
@testable import TMS

/// Every number a user types goes through checked conversions: whatever the digits, a parser
/// gives a value in range or nothing, and arithmetic gives a result or E0211-style overflow,
/// never a trap. Property-based: each property runs on hundreds of generated inputs, extremes
/// included (swift-property-based shrinks a failure to its smallest input).
@Suite struct NumberPropertyTests {
    static let extremes: [Int] = [.min, .min + 1, -1, 0, 1, .max - 1, .max, 86_400, -86_400, 1 << 62, -(1 << 62)]
    static let anyInt = Gen<Int?>.element(of: extremes).map { $0 ?? 0 }

    /// Duration words: within 0...100 years they are exact, and past it (or negative, or
    /// not a number at all) they are nothing.
    @Test func durationsAreBoundedAndExact() async {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        await propertyCheck(count: 200, input: Gen.int(in: 0...Coercion.longestDurationDays), Gen.int(in: 0..<units.count)) { days, u in
            let (suffix, factor) = units[u]
            let n = Double(days)
            let text = "\(days)\(suffix)"
            let seconds = Coercion.duration(text)
            #expect(seconds == n * factor, "\(text)")
        }
        await propertyCheck(count: 200, input: Gen.double(in: -1e300...1e300), Gen.int(in: 0..<units.count)) { n, u in
            let text = "\(n)\(units[u].0)"
            if let seconds = Coercion.duration(text) {
                #expect(seconds >= 0 && seconds <= Coercion.longestDuration, "\(text)")
            }
            _ = Coercion.value(.double(n), to: .duration)
        }
        for text in ["1e16", "1e16d", "1e19", "1e308d", "9223372036854775807d", "-1s", "36501d", "nan", "inf", "1e-400s"] {
            let d = Coercion.duration(text)
            #expect(d == nil || (d ?? -1) <= Coercion.longestDuration, "\(text)")
        }
        #expect(Coercion.duration("36500d") == Coercion.longestDuration)
        #expect(Coercion.duration("36501d") == nil)
    }

    /// Integer arithmetic: the exact result when it fits in 64 bits, else an overflow error.
    @Test func arithmeticIsChecked() async throws {
        let i = Interpreter(output: { _ in })
        let span = Span(file: SourceFile(name: "<test>", text: "x"), start: 0, end: 1)
        let operators: [BinaryOperator] = [.add, .subtract, .multiply, .divide, .remainder]
        let generator = Gen<Int?>.element(of: Self.extremes).map { $0 ?? 0 }
        func check(_ x: Int, _ y: Int) {
            for op in operators {
                let exact: (Int, Bool)?
                switch op {
                case .add: exact = x.addingReportingOverflow(y)
                case .subtract: exact = x.subtractingReportingOverflow(y)
                case .multiply: exact = x.multipliedReportingOverflow(by: y)
                case .divide: exact = y == 0 ? nil : x.dividedReportingOverflow(by: y)
                default: exact = y == 0 ? nil : x.remainderReportingOverflow(dividingBy: y)
                }
                do {
                    let v = try i.arithmetic(op, .int(x), .int(y), span)
                    if case .int(let r) = v { #expect(exact?.1 == false && exact?.0 == r, "\(x) \(op.rawValue) \(y)") }
                } catch let e as TMSError {
                    #expect(y == 0 || exact?.1 == true, "\(x) \(op.rawValue) \(y): \(e.diagnostics[0].message)")
                } catch {
                    Issue.record("\(error)")
                }
            }
        }
        await propertyCheck(count: 150, input: Gen.int(), Gen.int()) { x, y in check(x, y) }
        await propertyCheck(count: 150, input: generator, generator) { x, y in check(x, y) }
        await propertyCheck(count: 150, input: Gen.int(), generator) { x, y in check(x, y) }
        check(Int.min, -1)
    }

    /// A word of digits is an int when it fits, text when it does not; never a trap.
    @Test func numberWords() async {
        await propertyCheck(count: 200, input: Gen.number.string(of: 1...40), Gen.bool) { digits, negative in
            let word = (negative ? "-" : "") + digits
            switch JSON.number(fromWord: word) {
            case .int(let n)?: #expect(String(n) == word || Int(word) == n)
            case .double?, nil: #expect(Int(word) == nil || digits.first == "0" && digits.count > 1)
            default: Issue.record("\(word)")
            }
        }
    }

    /// A CSV cell, read from its bytes, is the value the same word has in the language: true,
    /// false, a canonical number that fits, or else text.
    @Test func csvCellsReadAsWords() async throws {
        func same(_ word: String) throws {
            let expected: Value = word == "true" ? .bool(true) : word == "false" ? .bool(false) : JSON.number(fromWord: word) ?? .string(word)
            let cell = try Array(word.utf8).withUnsafeBufferPointer { try CSVRecords.value($0, line: 1) }
            #expect(cell.kindName == expected.kindName && cell.compactText == expected.compactText, "\(word)")
        }
        for word in ["true", "false", "True", "tru", "truex", "f", "0", "-0", "007", "-", "", "1.", ".5", "1.5", "-1.5e3", "1E+5", "1e",
                     "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "12ab", "é", "DHL"] {
            try same(word)
        }
        await propertyCheck(count: 200, input: Gen.number.string(of: 1...40), Gen.bool) { digits, negative in
            try? same((negative ? "-" : "") + digits)
        }
    }

    /// `(-9223372036854775807 - 1) / -1` and friends, through the whole language.
    @Test(arguments: [
        "(-9223372036854775807 - 1) / -1", "(-9223372036854775807 - 1) % -1", "9223372036854775807 + 1",
        "-9223372036854775807 - 2", "4611686018427387904 * 2", "3037000500 * 3037000500",
    ])
    func overflowIsAnError(_ expression: String) async {
        let i = Interpreter(output: { _ in })
        await #expect(throws: TMSError.self) { try await i.run("let x = \(expression)\necho $x") }
    }

    /// Durations and times out of range are errors before any request.
    @Test(arguments: ["sleep 1e16", "sleep 1e308", "sandbox advance 1e19", "sandbox advance 1e16d", "let x = 1e300; sleep $x"])
    func hugeDurationsAreErrors(_ line: String) async {
        let i = Interpreter(output: { _ in })
        await #expect(throws: TMSError.self) { try await i.run(line) }
    }
}
