import Testing
import TrackingMore

@Suite struct JSONTests {
    @Test func parsesEveryKind() throws {
        let v = try JSON.parse(#"{"a": 1, "b": -2.5e1, "c": "x\ny\u00e9\ud83d\ude00", "d": [true, false, null], "e": {}}"#)
        #expect(v["a"] == .int(1))
        #expect(v["b"] == .double(-25))
        #expect(v["c"] == .string("x\nyé😀"))
        #expect(v["d"] == .list([.bool(true), .bool(false), .null]))
        #expect(v["e"] == .record(Record()))
    }

    @Test func keepsFieldOrder() throws {
        let v = try JSON.parse(#"{"z": 1, "a": 2, "m": 3}"#)
        #expect(v.recordValue?.keys == ["z", "a", "m"])
        #expect(v.compactText == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test func roundTripsText() throws {
        let text = #"{"s":"quote \" backslash \\ tab \t nul \u0000","n":[1,2.5,-3],"t":true}"#
        let v = try JSON.parse(text)
        #expect(try JSON.parse(v.compactText) == v)
        #expect(try JSON.parse(v.prettyText) == v)
    }

    @Test func hugeIntegersBecomeDoubles() throws {
        #expect(try JSON.parse("123456789012345678901234567890") == .double(1.2345678901234568e29))
    }

    @Test(arguments: [
        ("", "unexpected end of JSON"), ("{", "unexpected end of JSON: unclosed '{'"), ("[1,", "unexpected end of JSON"),
        ("[1 2]", "expected ',' or ']' in array"), (#"{"a" 1}"#, "expected ':' after object key"), ("tru", "invalid literal"),
        (#""abc"#, "unexpected end of JSON: unterminated string"), ("01x", "unexpected text after the JSON value"),
        (#""\x""#, "invalid escape '\\x' in string"), ("-", "invalid number"), ("1.", "invalid number: no digits after '.'"),
    ])
    func rejectsMalformedText(_ text: String, _ message: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
        do {
            _ = try JSON.parse(text)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func reportsLineAndColumn() {
        do {
            _ = try JSON.parse("[1,\n 2,\n x]")
            Issue.record("should fail")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 2)
        }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    }

    @Test func readsArrayElementsOneByOne() throws {
        let bytes = Array(#" [ {"a":1}, 2 , "x" ] "#.utf8)
        var items: [JSON] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            let isArray = reader.beginArray()
            #expect(isArray)
            while let v = try reader.nextElement() { items.append(v) }
        }
        #expect(items == [["a": 1], 2, "x"])
    }

    @Test func recordsCompareWithoutOrder() {
        let a: JSON = ["x": 1, "y": 2]
        let b: JSON = ["y": 2, "x": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(JSON.int(1) == JSON.double(1))
    }
}
