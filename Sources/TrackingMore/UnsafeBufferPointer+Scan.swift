extension UnsafeBufferPointer<UInt8> {
    /// The index of the first byte from `start` on that is `a`, `b` or `c`, less than
    /// `below` (at most 0x80), or (with `nonASCII`) 0x80 or more; `count` when there is none.
    ///
    /// JSON strings and CSV cells are mostly short runs of ASCII with nothing in them to
    /// act on, and a loop that tests each byte was the largest part of reading them: this
    /// tests eight bytes at a time, then finds the byte within the eight that stopped it.
    @inlinable
    public func firstByte(from start: Int, _ a: UInt8, _ b: UInt8, _ c: UInt8, below: UInt8, nonASCII: Bool) -> Int {
        var i = start
        if let base = baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            // Each test is nonzero exactly when some byte of the word is of its kind (the
            // usual bit tricks: a byte less than n leaves its top bit set in x - n·ones where
            // it was clear in x; a byte equal to c is a zero byte of x ^ c·ones).
            func zeroByte(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
            let (wordA, wordB, wordC, wordBelow) = (ones &* UInt64(a), ones &* UInt64(b), ones &* UInt64(c), ones &* UInt64(below))
            let nonASCIIMask = nonASCII ? highs : 0
            let raw = UnsafeRawPointer(base)
            while i &+ 8 <= count {
                let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let found = zeroByte(x ^ wordA) | zeroByte(x ^ wordB) | zeroByte(x ^ wordC)
                    | ((x &- wordBelow) & ~x & highs) | (x & nonASCIIMask)
                if found != 0 { break }
                i &+= 8
            }
        }
        while i < count {
            let byte = self[i]
            if byte == a || byte == b || byte == c || byte < below || (nonASCII && byte >= 0x80) { break }
            i += 1
        }
        return i
    }
}
