import PropertyBased
import Testing
@testable import TrackingMore

/// The compact writer (bytes through a pointer into a buffer of its own) writes what the
/// plain string writer writes, for every string, number and nesting.
@Suite struct JSONWriterTests {
    static let characters: [Character] = [
        "a", "Z", "0", " ", "/", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{8}", "\u{1F}", "\u{7F}", "é", "€", "😀", "\u{212A}",
    ]

    func text(_ value: JSON) -> String {
        var out = ""
        value.write(to: &out, indent: nil, level: 0)
        return out
    }

    @Test func compactBytesAreTheStringWritersText() async {
        let characters = Gen<Character?>.element(of: Self.characters).map { $0 ?? "a" }
        await propertyCheck(count: 300, input: characters.string(of: 0...40), Gen.int(), Gen.int(in: 0...4)) { s, i, pick in
            let leaves: [JSON] = [.string(s), .int(i), .double(Double(i) / 7), .bool(i % 2 == 0), .null]
            let value = JSON.record(Record([
                (s, .list(leaves)), ("k" + s, .record(Record([("x", leaves[pick])]))), ("empty", .list([])), ("none", .record(Record())),
            ]))
            for v in [value, leaves[pick], .list([value, value])] {
                let bytes = v.bytes
                #expect(bytes == Array(text(v).utf8))
                #expect(v.compactText == text(v))
            }
        }
    }

    /// Records with the keys of the one before them have their keys written from one text
    /// made for the run: runs of records with the same keys (shared or equal arrays, keys
    /// that need escapes), nested records between them, and records whose keys differ in one
    /// place, all write what the string writer writes.
    @Test func runsOfRecordsWithTheSameKeys() {
        let keys = ["id", "tracking_number", "quo\"te", "line\nbreak", "é", ""]
        let row = { (i: Int) in JSON.record(Record(uniqueKeys: keys, values: keys.indices.map { .int(i * 10 + $0) })) }
        let equal = { (i: Int) in JSON.record(Record(Array(zip(keys.map { String($0) + "" }, keys.indices.map { JSON.string("v\(i)\($0)") })))) }
        let other = JSON.record(Record(Array(zip(["id", "tracking_number", "other", "line\nbreak", "é", ""], (0..<6).map { JSON.int($0) }))))
        let nested = JSON.record(Record([("id", row(7)), ("tracking_number", .list([row(8), row(9)]))]))
        let lists: [JSON] = [
            .list((0..<5).map(row)),
            .list((0..<3).map(row) + (0..<3).map(equal)),
            .list([row(1), other, row(2), row(3), other, other]),
            .list([nested, nested, row(4), nested]),
            .record(Record([("a", .list((0..<3).map(row))), ("b", .list((0..<3).map(equal)))])),
        ]
        for v in lists {
            #expect(v.bytes == Array(text(v).utf8))
            #expect(v.compactText == text(v))
        }
    }

    /// Plain strings are copied a word at a time and checked on the way: a quote, backslash
    /// or control character at any place of a string of any length up to five words is found.
    @Test func everyPlaceOfEveryLengthIsChecked() {
        for length in 0...40 {
            let plain = String(repeating: "a", count: length)
            #expect(JSON.string(plain).bytes == Array(text(.string(plain)).utf8))
            for place in 0..<length {
                for special: Character in ["\"", "\\", "\n", "\u{1}", "\u{1F}", "é"] {
                    var characters = Array(plain)
                    characters[place] = special
                    let s = String(characters)
                    #expect(JSON.string(s).bytes == Array(text(.string(s)).utf8), "\(length) \(place)")
                }
            }
        }
    }

    /// What tms serve sends is the envelope's JSON, from its data or from the data's bytes
    /// kept beside it.
    @Test func wireBytesAreTheEnvelopesJSON() async {
        let characters = Gen<Character?>.element(of: Self.characters).map { $0 ?? "a" }
        await propertyCheck(count: 100, input: characters.string(of: 0...40), Gen.int()) { s, code in
            var envelope = Envelope(meta: Meta(code: code, type: s, message: "m" + s), data: .list([.string(s), .int(code)]))
            let json = envelope.json.bytes
            #expect(envelope.wireBytes == json)
            envelope.encodedData = envelope.data.bytes
            #expect(envelope.wireBytes == json)
            // Read where they are (contiguous), and from a sequence that is not.
            #expect(envelope.withWireBytes { try? JSON.parse($0) } == envelope.json)
            #expect((try? JSON.parse(json.reversed().reversed())) == envelope.json)
        }
    }

    @Test(arguments: [0, 9, 10, -1, -9, -10, 99, 100, Int.max, Int.min])
    func integers(_ i: Int) {
        #expect(JSON.int(i).bytes == Array(String(i).utf8))
        #expect(JSON.decimalText(i) == String(i))
        #expect(JSON.int(i).scalarText == String(i))
    }

    /// Every length of digits, both signs, and their neighbours.
    @Test func decimalTextIsStringOfEveryLength() {
        var values: [Int] = []
        var p = 1
        for _ in 0..<19 {
            values += [p - 1, p, p + 1, -p, -(p - 1), 7 * p]
            if p <= Int.max / 10 { p *= 10 }
        }
        for i in values + [Int.max, Int.min, Int.min + 1] {
            #expect(JSON.decimalText(i) == String(i))
        }
    }

    /// A string longer than the buffer's first 256 bytes, and many short ones: it grows.
    @Test func theBufferGrows() {
        let long = JSON.string(String(repeating: "\u{1}é\"", count: 300))
        let many = JSON.list(Array(repeating: .string("abcdefgh"), count: 500))
        for v in [long, many, .list([long, many])] {
            #expect(v.bytes == Array(text(v).utf8))
        }
    }
}
