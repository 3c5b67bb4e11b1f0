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

    /// Two digits a byte, lower case unless asked, written straight into the string.
    /// Inlinable, so that callers in other modules get it specialized for their bytes (a
    /// digest's in tms serve's creates) rather than iterating through the generic protocol
    /// witnesses.
    @inlinable
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes, uppercase: Bool = false) -> String {
        let digits = uppercase ? upper : lower
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var i = 0
            for b in bytes {
                out[i] = digits[Int(b >> 4)]
                out[i + 1] = digits[Int(b & 0x0F)]
                i += 2
            }
            return i
        }
    }

    /// The same for bytes that are only a sequence (a digest).
    @inlinable
    public static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes, uppercase: Bool = false) -> String {
        encode(Array(bytes), uppercase: uppercase)
    }
}
