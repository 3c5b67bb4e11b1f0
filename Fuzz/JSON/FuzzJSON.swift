import TrackingMore

// libFuzzer target: the JSON reader. Whatever the bytes, parsing ends in a value or an error;
// a value serialises to text that parses back to an equal value.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSON.parse(bytes) else { return 0 }
    let text = value.bytes
    guard let again = try? JSON.parse(text) else {
        fatalError("serialised JSON does not parse: \(String(decoding: text, as: UTF8.self))")
    }
    if again != value, !hasNaNLikeDouble(value) {
        fatalError("JSON does not round-trip: \(String(decoding: text, as: UTF8.self))")
    }
    return 0
}

/// Doubles that print as the same text but differ (e.g. -0.0 and 0.0 compare equal anyway);
/// kept as a hook should the serialiser round a double.
private func hasNaNLikeDouble(_ v: JSON) -> Bool {
    switch v {
    case .double(let d): return !d.isFinite
    case .list(let l): return l.contains(where: hasNaNLikeDouble)
    case .record(let r): return r.pairs.contains { hasNaNLikeDouble($0.1) }
    default: return false
    }
}
