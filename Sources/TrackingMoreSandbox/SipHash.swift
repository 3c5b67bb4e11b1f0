import TrackingMore

/// SipHash-2-4 with a 128-bit result (Aumasson and Bernstein, "SipHash: a fast short-input
/// PRF", 2012): what tracking ids are made of. A value: a hash that has read part of its input
/// (an account's, then a tracking's) is copied and read on from there for free.
struct SipHash128 {
    private var v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64
    /// Up to 7 bytes read and not yet mixed in, low byte first.
    private var tail: UInt64 = 0
    private var count = 0

    init(key: (UInt64, UInt64)) {
        v0 = key.0 ^ 0x736f_6d65_7073_6575
        v1 = key.1 ^ 0x646f_7261_6e64_6f6d ^ 0xee
        v2 = key.0 ^ 0x6c79_6765_6e65_7261
        v3 = key.1 ^ 0x7465_6462_7974_6573
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes {
            tail |= UInt64(b) << (8 * UInt64(count & 7))
            count += 1
            if count & 7 == 0 {
                compress(tail)
                tail = 0
            }
        }
    }

    mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// The hash: its first and last 8 bytes, each read little-endian.
    func finalize() -> (UInt64, UInt64) {
        var h = self
        h.compress(h.tail | UInt64(truncatingIfNeeded: count) << 56)
        h.v2 ^= 0xee
        for _ in 0..<4 { h.round() }
        let first = h.v0 ^ h.v1 ^ h.v2 ^ h.v3
        h.v1 ^= 0xdd
        for _ in 0..<4 { h.round() }
        return (first, h.v0 ^ h.v1 ^ h.v2 ^ h.v3)
    }

    /// The hash's 16 bytes, first to last, in 32 lower-case hex digits.
    func hex() -> String {
        let (first, second) = finalize()
        return withUnsafeBytes(of: (first.littleEndian, second.littleEndian)) { Hex.encode($0) }
    }

    private mutating func compress(_ m: UInt64) {
        v3 ^= m
        round()
        round()
        v0 ^= m
    }

    private mutating func round() {
        v0 &+= v1
        v1 = v1.rotated(13) ^ v0
        v0 = v0.rotated(32)
        v2 &+= v3
        v3 = v3.rotated(16) ^ v2
        v0 &+= v3
        v3 = v3.rotated(21) ^ v0
        v2 &+= v1
        v1 = v1.rotated(17) ^ v2
        v2 = v2.rotated(32)
    }
}

private extension UInt64 {
    func rotated(_ n: UInt64) -> UInt64 { self << n | self >> (64 - n) }
}
