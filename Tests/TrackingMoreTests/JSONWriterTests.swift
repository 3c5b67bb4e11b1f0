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
