/// Hexadecimal, read and written in one place: JSON's `\uXXXX`, percent-encoding, the
/// language's `\u{...}` escapes, key hashes and tracking ids.
public enum Hex {
    /// The value of one hex digit (`0`–`9`, `a`–`f`, `A`–`F`), or nil for any other byte.
    @inline(__always)
    public static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    @usableFromInline static let lower = Array("0123456789abcdef".utf8)
    @usableFromInline static let upper = Array("0123456789ABCDEF".utf8)

    /// Two digits a byte, lower case unless asked. Inlinable, so that callers in other
    /// modules get it specialized for their byte sequence (a digest's hex in tms serve's
    /// creates) rather than iterating through the generic protocol witnesses.
    @inlinable
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes, uppercase: Bool = false) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        append(bytes, to: &out, uppercase: uppercase)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends two digits a byte to `out`.
    @inlinable @inline(__always)
    public static func append<Bytes: Sequence<UInt8>>(_ bytes: Bytes, to out: inout [UInt8], uppercase: Bool = false) {
        let digits = uppercase ? upper : lower
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
    }
}
