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

    /// Each parse starts from what the readers before it learnt of the data's shape (keys,
    /// objects at each depth): documents of other shapes after them, keys of the same length
    /// that differ, the same keys in another order or at another depth, read by many tasks at
    /// once, are each read as they are written.
    @Test func parsesAfterDocumentsOfOtherShapes() async throws {
        let documents: [(String, JSON)] = [
            (#"[{"id":1,"name":"a"},{"id":2,"name":"b"}]"#,
             .list([.record(Record([("id", 1), ("name", "a")])), .record(Record([("id", 2), ("name", "b")]))])),
            (#"[{"id":3,"nome":"c"}]"#, .list([.record(Record([("id", 3), ("nome", "c")]))])),
            (#"[{"name":"d","id":4}]"#, .list([.record(Record([("name", "d"), ("id", 4)]))])),
            (#"{"x":{"id":5,"name":"e"},"id":6}"#, .record(Record([("x", .record(Record([("id", 5), ("name", "e")]))), ("id", 6)]))),
            (#"[{"id":7,"na\u006de":"f"}]"#, .list([.record(Record([("id", 7), ("name", "f")]))])),
            (#"[{"id":8,"name":"g","id":9}]"#, .list([.record(Record([("id", 9), ("name", "g")]))])),
            (#"[{}, {"id":10}]"#, .list([.record(Record()), .record(Record([("id", 10)]))])),
        ]
        await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    (0..<200).allSatisfy { round in
                        let (text, expected) = documents[(round * 3 + task) % documents.count]
                        return (try? JSON.parse(text)) == expected
                    }
                }
            }
            for await allRight in group { #expect(allRight) }
        }
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

    @Test(arguments: [0, 7, -3, 10, 1_000_000_000, -1_000_000_007, Int.max, Int.min])
    func integersAreWrittenAsTheirDescription(_ i: Int) {
        #expect(JSON.int(i).compactText == String(i))
        #expect(JSON.list([.int(i), ["n": .int(i)]]).compactText == "[\(i),{\"n\":\(i)}]")
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

    /// A repeated key keeps its first place and takes the last value, whichever way the keys
    /// are written: keys are equal as Swift strings are, by canonical equivalence, so an
    /// escape, a precomposed letter and a compatibility sign like KELVIN (equal to "K") all
    /// count as the same key.
    @Test(arguments: [
        (#"{"a":1,"b":2,"a":3}"#, ["a", "b"], [3, 2]),
        (#"{"ab":1,"ba":2,"ab":3}"#, ["ab", "ba"], [3, 2]),
        (#"{"ab":1,"a\u0062":2}"#, ["ab"], [2]),
        (#"{"a\u0062":1,"ab":2}"#, ["ab"], [2]),
        ("{\"K\":1,\"\u{212A}\":2}", ["K"], [2]),
        ("{\"\u{212A}\":1,\"K\":2}", ["\u{212A}"], [2]),
        (#"{"K":1,"\u212a":2}"#, ["K"], [2]),
        ("{\"\u{E9}\":1,\"e\u{301}\":2,\"e\":3}", ["\u{E9}", "e"], [2, 3]),
        ("{\"e\u{301}\":1,\"\u{E9}\":2}", ["e\u{301}"], [2]),
        (#"{"x":1,"x\n":2,"x":3}"#, ["x", "x\n"], [3, 2]),
    ] as [(String, [String], [Int])])
    func repeatedKeysKeepTheLastValue(_ text: String, _ keys: [String], _ values: [Int]) throws {
        let record = try #require(try JSON.parse(text).recordValue)
        #expect(record.keys.map { Array($0.unicodeScalars) } == keys.map { Array($0.unicodeScalars) })
        #expect(record.values == values.map { JSON.int($0) })
    }

    /// An object's repeated keys are found among its own keys only, however deep it is.
    @Test func repeatedKeysInNestedObjects() throws {
        let v = try JSON.parse(#"{"a":1,"b":{"c":1,"d":{"c":5,"c":6},"c":2},"a":3,"e":{"a":7,"a":8}}"#)
        #expect(v.compactText == #"{"a":3,"b":{"c":2,"d":{"c":6}},"e":{"a":8}}"#)
    }

    /// Records of one shape are read by matching each key against the last record's; one
    /// that leaves the shape (another key, a longer key, a repeat, an escape) is read as any.
    @Test func recordsOfOneShapeAndRecordsThatLeaveIt() throws {
        let text = #"[{"a":1,"b":2},{"a":3,"b":4},{"a":3,"b":4,"a":5},{"a":1,"bc":2},{"a":1,"b":2,"c":3},{"a":1},"#
            + #"{"a":1,"b":2,"b":3},{"a":1,"b":2,"c":4,"b":5},{"b":1,"a":2},{"a":{"a":1,"a":2},"b":[{"a":1},{"a":2,"a":3}]}]"#
        #expect(try JSON.parse(text).compactText == #"[{"a":1,"b":2},{"a":3,"b":4},{"a":5,"b":4},{"a":1,"bc":2},{"a":1,"b":2,"c":3},{"a":1},"#
            + #"{"a":1,"b":3},{"a":1,"b":5,"c":4},{"b":1,"a":2},{"a":{"a":2},"b":[{"a":1},{"a":3}]}]"#)
        let kelvin = try JSON.parse("[{\"K\":1},{\"\u{212A}\":2,\"K\":3},{\"K\":4,\"\u{212A}\":5}]")
        #expect(kelvin.listValue?.map { $0.recordValue?.keys.map { Array($0.unicodeScalars) } } == [[["K"]], [["\u{212A}"]], [["K"]]])
        #expect(kelvin.listValue?.map { $0.recordValue?.values } == [[1], [3], [5]])
    }

    /// A record read from JSON with ASCII keys finds a key by comparing only keys of its
    /// length, which must not miss a key equal in another spelling: one asked for in
    /// another spelling, or added later in one.
    @Test func lookupsFindEquivalentKeys() throws {
        var record = try #require(try JSON.parse(#"{"K":1,"ab":2,"tracking_number":3}"#).recordValue)
        #expect(record["\u{212A}"] == 1)
        #expect(record["K"] == 1)
        #expect(record["k"] == nil)
        #expect(record["tracking_number"] == 3)
        #expect(record["tracking_numbe"] == nil)
        record["e\u{301}"] = 4
        record["\u{212B}"] = 5
        #expect(record["\u{E9}"] == 4)
        #expect(record["A\u{30A}"] == 5)
        var other = try #require(try JSON.parse(#"{"a":1}"#).recordValue)
        other["\u{212A}"] = 2
        #expect(other["K"] == 2)
        #expect(other.keys.count == 2)
        other["K"] = 3
        #expect(other.keys.count == 2)
        #expect(other["\u{212A}"] == 3)
        let kelvin = try JSON.parse("{\"\u{212A}\":1,\"b\":2}")
        #expect(kelvin["K"] == 1)
    }

    /// Objects of random keys, many of them equal in different spellings, read as the record
    /// built field by field, where `Record` compares keys with Swift's own `==`.
    @Test func repeatedKeysAgreeWithRecord() throws {
        let spellings: [(json: String, key: String)] = [
            ("K", "K"), ("\\u212A", "\u{212A}"), ("\u{212A}", "\u{212A}"), ("k", "k"), ("\u{E9}", "\u{E9}"),
            ("e\u{301}", "e\u{301}"), ("e\\u0301", "e\u{301}"), ("ab", "ab"), ("ba", "ba"), ("a\\u0062", "ab"),
            ("tracking_number", "tracking_number"), ("tracking_numbeR", "tracking_numbeR"), ("", ""),
            (String(repeating: "x", count: 70), String(repeating: "x", count: 70)),
            (String(repeating: "x", count: 69) + "\\u0078", String(repeating: "x", count: 70)),
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let count = Int.random(in: 0...40, using: &generator)
            var expected = Record()
            var text = "{"
            for i in 0..<count {
                let k = spellings.randomElement(using: &generator)!
                if i > 0 { text += "," }
                text += "\"\(k.json)\":\(i)"
                expected[k.key] = .int(i)
            }
            text += "}"
            let record = try #require(try JSON.parse(text).recordValue, "\(text)")
            #expect(record.keys == expected.keys, "\(text)")
            #expect(record.values == expected.values, "\(text)")
            // Byte for byte, not only as equal strings: the first spelling keeps its place.
            #expect(record.keys.map { Array($0.utf8) } == expected.keys.map { Array($0.utf8) }, "\(text)")
            for k in spellings { #expect(record[k.key] == expected[k.key], "\(text) [\(k.key)]") }
        }
    }

    @Test func recordsCompareWithoutOrder() {
        let a: JSON = ["x": 1, "y": 2]
        let b: JSON = ["y": 2, "x": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(JSON.int(1) == JSON.double(1))
    }
}
